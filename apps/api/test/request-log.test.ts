import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RootLogger } from '../src/core/logging/logger.module.js';
import { EchoFixtureModule } from './fixtures/echo.fixture.js';
import { held, LogFixtureModule } from './fixtures/log.fixture.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Line = Record<string, unknown> & { req?: { id?: string } };

/** The fields of a request's line, in pino-http's order. */
const LINE_KEYS = ['level', 'time', 'pid', 'hostname', 'req', 'res', 'responseTime', 'msg'];

const CREDENTIALS = {
  authorization: 'Bearer s3cr3t-bearer',
  cookie: 'refresh_token=s3cr3t-cookie',
  'x-api-key': 's3cr3t-api-key',
};

describe('the request log', () => {
  let t: TestApp;
  let root: RootLogger['logger'];
  beforeAll(async () => {
    t = await startTestApp({ imports: [EchoFixtureModule, LogFixtureModule] });
    root = t.app.get(RootLogger).logger;
  });
  afterAll(() => t.close());
  // The level the app started with (LOG_LEVEL=info); some tests run at warn, as deployments do.
  afterEach(() => {
    root.level = 'info';
    vi.restoreAllMocks();
  });

  let requests = 0;
  const newId = () => `request-log-check-${++requests}`;
  const linesOf = (id: string) => (t.logs as Line[]).filter((l) => l.req?.id === id);
  const get = (path: string, id: string, headers: Record<string, string> = {}) =>
    fetch(`${t.origin}${path}`, { headers: { 'x-request-id': id, ...headers } });

  /**
   * Returns once the lines of the requests answered before it are written: a request's line is
   * written when its response is done, before the next request on the connection is answered.
   */
  async function afterEarlierLines() {
    const id = newId();
    await get('/api/v1/no-such-route', id);
    await expect.poll(() => linesOf(id).length).toBe(1);
  }

  it('at info, writes one line for a 2xx, credentials redacted', async () => {
    const id = newId();
    await get('/api/v1/health?token=s3cr3t-query&page=2', id, CREDENTIALS);
    await expect.poll(() => linesOf(id).length).toBe(1);
    const line = linesOf(id)[0]!;
    expect(Object.keys(line)).toEqual(LINE_KEYS);
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: {
        id,
        method: 'GET',
        url: '/api/v1/health?token=[redacted]&page=2',
        headers: {
          authorization: '[redacted]',
          cookie: '[redacted]',
          'x-api-key': '[redacted]',
          'x-request-id': id,
        },
      },
      res: {
        statusCode: 200,
        headers: { 'x-request-id': id, 'content-type': 'application/json; charset=utf-8' },
      },
    });
    expect(Object.keys(line.req!)).toEqual(['id', 'method', 'url', 'headers']);
    expect(Object.keys(line.res as object)).toEqual(['statusCode', 'headers']);
    expect(line.responseTime).toSatisfy((ms: unknown) => Number.isInteger(ms) && Number(ms) >= 0);
    expect(JSON.stringify(line)).not.toMatch(/s3cr3t/);
  });

  it('at warn, writes one line for a 4xx, credentials redacted', async () => {
    root.level = 'warn';
    const id = newId();
    const res = await get('/api/v1/users/me?access_token=s3cr3t-query', id, CREDENTIALS);
    expect(res.status).toBe(401);
    await expect.poll(() => linesOf(id).length).toBe(1);
    const line = linesOf(id)[0]!;
    expect(Object.keys(line)).toEqual(LINE_KEYS);
    expect(line).toMatchObject({
      level: 40,
      msg: 'request completed',
      req: {
        id,
        method: 'GET',
        url: '/api/v1/users/me?access_token=[redacted]',
        headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-api-key': '[redacted]' },
      },
      res: { statusCode: 401 },
    });
    expect(JSON.stringify(line)).not.toMatch(/s3cr3t/);
  });

  it('at warn, writes nothing for a 2xx, nor makes a logger for it', async () => {
    root.level = 'warn';
    const child = vi.spyOn(root, 'child');
    const [id, refused] = [newId(), newId()];
    expect((await get('/api/v1/health', id, CREDENTIALS)).status).toBe(200);
    // The control: a 401 at warn is written, through a logger made for it, which the spy sees.
    expect((await get('/api/v1/users/me', refused)).status).toBe(401);
    await expect.poll(() => linesOf(refused)).toHaveLength(1);
    await afterEarlierLines();
    expect(linesOf(id)).toEqual([]);
    // The request's logger serialises and redacts the request when made: not for nothing.
    const madeFor = child.mock.calls.map(([bindings]) => (bindings as Line | undefined)?.req?.id);
    expect(madeFor).toContain(refused);
    expect(madeFor).not.toContain(id);
  });

  it('writes a 5xx at error, as "request errored"', async () => {
    const id = newId();
    expect((await get('/api/v1/fixtures/boom', id)).status).toBe(500);
    await expect.poll(() => linesOf(id).filter((l) => 'res' in l).length).toBe(1);
    const line = linesOf(id).find((l) => 'res' in l)!;
    expect(Object.keys(line)).toEqual([...LINE_KEYS.slice(0, 6), 'err', 'responseTime', 'msg']);
    expect(line).toMatchObject({
      level: 50,
      msg: 'request errored',
      res: { statusCode: 500 },
      err: { type: 'Error', message: 'failed with status code 500' },
    });
  });

  it('gives the app’s lines written while handling a request its request', async () => {
    const id = newId();
    expect((await get('/api/v1/fixtures/boom', id)).status).toBe(500);
    await expect.poll(() => linesOf(id).filter((l) => l.msg === 'Unhandled error')).toHaveLength(1);
    expect(linesOf(id).find((l) => l.msg === 'Unhandled error')).toMatchObject({
      level: 50,
      context: 'ProblemFilter',
      req: { id, method: 'GET', url: '/api/v1/fixtures/boom' },
    });
  });

  it('does so after the body and awaits; below the level, makes no logger', async () => {
    const log = (level: string, id: string) =>
      fetch(`${t.api}/fixtures/log`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify({ level, note: 'from the fixture' }),
      });
    root.level = 'warn';
    const child = vi.spyOn(root, 'child');
    const [quiet, loud] = [newId(), newId()];
    expect((await log('info', quiet)).status).toBe(204);
    expect((await log('warn', loud)).status).toBe(204);
    await expect.poll(() => linesOf(loud)).toHaveLength(1);
    expect(linesOf(loud)[0]).toMatchObject({
      level: 40,
      context: 'LogFixture',
      note: 'from the fixture',
      msg: 'Logged by the fixture',
      req: { id: loud, method: 'POST', url: '/api/v1/fixtures/log' },
    });
    await afterEarlierLines();
    expect(linesOf(quiet)).toEqual([]);
    const madeFor = child.mock.calls.map(([bindings]) => (bindings as Line).req?.id);
    // The loud one's logger was seen made: the spy would see the quiet one's.
    expect(madeFor).toContain(loud);
    expect(madeFor).not.toContain(quiet);
  });

  it('writes a request the client left before its answer as "request aborted"', async () => {
    const id = newId();
    const client = new AbortController();
    const answer = fetch(`${t.api}/fixtures/held`, {
      signal: client.signal,
      headers: { 'x-request-id': id },
    }).catch(() => 'left');
    await held.arrived.opened;
    client.abort();
    expect(await answer).toBe('left');
    await expect.poll(() => linesOf(id)).toHaveLength(1);
    held.released.open();
    expect(linesOf(id)[0]).toMatchObject({
      level: 30,
      msg: 'request aborted',
      req: { id, url: '/api/v1/fixtures/held' },
      res: { statusCode: null },
    });
  });

  it('runs no Express-style middleware engine on requests (Nest mounts none)', () => {
    expect(t.app.getHttpAdapter().getInstance().hasPlugin('@fastify/middie')).toBe(false);
  });

  it('writes no line for a request outside the API (the docs)', async () => {
    const id = newId();
    expect((await get('/api/docs', id)).status).toBe(200);
    await afterEarlierLines();
    expect(linesOf(id)).toEqual([]);
  });
});
