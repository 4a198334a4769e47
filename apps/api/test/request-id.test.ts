import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoFixtureModule } from './fixtures/echo.fixture.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request id', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ imports: [EchoFixtureModule] });
  });
  afterAll(() => t.close());

  const idFor = async (incoming?: string) => {
    const res = await fetch(
      `${t.api}/health`,
      incoming ? { headers: { 'x-request-id': incoming } } : {},
    );
    return res.headers.get('x-request-id');
  };

  it('makes a UUID when the request has none', async () => {
    expect(await idFor()).toMatch(UUID);
  });

  it('keeps a valid incoming X-Request-Id', async () => {
    expect(await idFor('edge-7f3a9c01.trace:42')).toBe('edge-7f3a9c01.trace:42');
  });

  it.each([
    ['too short', 'abc'],
    ['too long', 'a'.repeat(129)],
    ['with spaces or injection attempts', 'abc def"\\n{"level":60}'],
  ])('replaces an incoming id that is %s', async (_, incoming) => {
    const id = await idFor(incoming);
    expect(id).toMatch(UUID);
  });

  it('puts the same id in the problem body and in exactly one log line', async () => {
    const res = await fetch(`${t.api}/fixtures/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{oops',
    });
    const id = res.headers.get('x-request-id');
    const body = (await res.json()) as { requestId: string; code: string };
    expect(body).toMatchObject({ requestId: id, code: 'malformed_json' });
    await expect.poll(() => t.logs.filter((l) => JSON.stringify(l).includes(id!)).length).toBe(1);
    const line = t.logs.find((l) => JSON.stringify(l).includes(id!))!;
    expect(line).toMatchObject({ req: { id, method: 'POST' }, res: { statusCode: 400 } });
  });

  it('never logs credentials', async () => {
    await fetch(`${t.api}/health?token=s3cr3t-query-token`, {
      headers: {
        authorization: 'Bearer s3cr3t-bearer',
        cookie: 'refresh_token=s3cr3t-cookie',
        'x-api-key': 's3cr3t-api-key',
        'x-request-id': 'redaction-check-0001',
      },
    });
    await expect
      .poll(() => t.logs.some((l) => JSON.stringify(l).includes('redaction-check-0001')))
      .toBe(true);
    const all = JSON.stringify(t.logs);
    expect(all).not.toMatch(/s3cr3t/);
    expect(all).toContain('token=[redacted]');
  });
});
