import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { contract } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BREACH_CHECK_TIMEOUT_MS } from '../../src/passwords/breached-passwords.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth } = contract;
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

const BREACHED = 'a breached passphrase 1';
/** Listed with a count of 0: the padding a range answer carries, not a breach. */
const PADDED = 'a padded passphrase 2';
const WARNING = 'Breached-password check unavailable: the password was accepted without it';

/**
 * A stand-in for the Pwned Passwords range API (the real one cannot be reached from here): the
 * same request (GET /range/<5 hex>) and answer (SUFFIX:COUNT lines, CRLF, padding at count 0).
 * `hang` holds requests unanswered, as a stalled API does; `abandoned` lists those the caller
 * gave up on (closed the connection) before an answer.
 */
async function rangeApiStandIn() {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const held: ServerResponse[] = [];
  const abandoned: string[] = [];
  const state = { hang: false };
  const server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    if (state.hang) {
      held.push(response);
      response.on('close', () => response.writableEnded || abandoned.push(request.url ?? ''));
      return;
    }
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(request.url ?? '')?.[1];
    if (!prefix) {
      response.writeHead(404).end();
      return;
    }
    const lines = [
      ...[BREACHED].map(sha1).map((hash) => ({ hash, count: 3_861_493 })),
      ...[PADDED].map(sha1).map((hash) => ({ hash, count: 0 })),
    ]
      .filter(({ hash }) => hash.startsWith(prefix))
      .map(({ hash, count }) => `${hash.slice(5)}:${count}`);
    lines.push('0018A45C4D1DEF81644B54AB7F969B88D65:1'); // another password's suffix
    response.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    abandoned,
    state,
    /** Answers what it held, then stops listening: the API is down from then on. */
    async stop() {
      for (const response of held.splice(0)) response.writeHead(503).end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the breached-password check (BREACHED_PASSWORD_CHECK=true)', () => {
  let standIn: Awaited<ReturnType<typeof rangeApiStandIn>>;
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    standIn = await rangeApiStandIn();
    t = await startTestApp({
      env: { ...NO_RATE_LIMITS, BREACHED_PASSWORD_CHECK: 'true', PWNED_PASSWORDS_URL: standIn.url },
    });
    w = new World(t);
  });
  afterAll(async () => {
    await t.close();
    await standIn.stop();
  });

  const warnings = () => t.logs.filter((line) => line.msg === WARNING);

  /** No log line holds the password, its hash, or the hash's suffix. */
  const expectNotLogged = (password: string) => {
    const logs = JSON.stringify(t.logs).toUpperCase();
    expect(logs).not.toContain(password.toUpperCase());
    expect(logs).not.toContain(sha1(password).slice(5));
  };

  it('refuses a breached password; the API saw only the first 5 hex digits of its SHA-1', async () => {
    const before = standIn.seen.length;
    await w.expect('breached', auth.register, [400, 'password_breached'], {
      body: { ...newCredentials(), password: BREACHED },
    });
    expect(standIn.seen.slice(before)).toEqual([
      {
        url: `/range/${sha1(BREACHED).slice(0, 5)}`,
        headers: expect.objectContaining({ 'add-padding': 'true' }) as IncomingHttpHeaders,
      },
    ]);
    expectNotLogged(BREACHED);
  });

  it('asks when a password is set, never at login', async () => {
    const credentials = { ...newCredentials(), password: 'set once, then used' };
    const before = standIn.seen.length;
    await w.expect('register', auth.register, 'success', { body: credentials });
    const token = await w.mailedToken(credentials.email, /Confirm/);
    expect(standIn.seen.slice(before).map((r) => r.url)).toEqual([
      `/range/${sha1(credentials.password).slice(0, 5)}`,
    ]);
    await w.expect('verify email', auth.verifyEmail, 'success', { body: { token } });
    await w.login(credentials);
    expect(standIn.seen).toHaveLength(before + 1);
  });

  it('refuses it wherever a password is set (change-password here)', async () => {
    const user = await w.user();
    await w.expect('breached', auth.changePassword, [400, 'password_breached'], {
      as: user,
      body: { currentPassword: user.password, newPassword: BREACHED },
    });
  });

  it('accepts a password the API does not list, or lists at count 0 (padding)', async () => {
    for (const password of ['not in any breach, surely', PADDED]) {
      const credentials = { ...newCredentials(), password };
      await w.expect(password, auth.register, 'success', { body: credentials });
      await w.mailed(credentials.email, /Confirm/);
    }
    expect(warnings()).toEqual([]);
  });

  it(`accepts the password with one warning when the API is slow (${BREACH_CHECK_TIMEOUT_MS} ms timeout)`, async () => {
    standIn.state.hang = true;
    const credentials = { ...newCredentials(), password: 'waiting for an answer' };
    await w.expect('stalled API', auth.register, 'success', { body: credentials });
    // It asked, and gave up on the request itself (the stand-in never answers it).
    await expect.poll(() => standIn.abandoned).toEqual([expect.stringMatching(/^\/range\//)]);
    expect(warnings()).toEqual([
      expect.objectContaining({ level: 40, reason: expect.stringMatching(/timeout/i) as string }),
    ]);
    expectNotLogged(credentials.password);
  });

  it('accepts the password with one warning when the API is down', async () => {
    await standIn.stop();
    const credentials = { ...newCredentials(), password: 'nobody is listening' };
    await w.expect('API down', auth.register, 'success', { body: credentials });
    await w.mailed(credentials.email, /Confirm/);
    expect(warnings()).toHaveLength(2);
    expect(warnings()[1]).toMatchObject({
      reason: expect.stringContaining('ECONNREFUSED') as string,
    });
    expectNotLogged(credentials.password);
  });
});
