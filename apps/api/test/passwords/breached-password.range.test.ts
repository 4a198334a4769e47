import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { contract } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth } = contract;
const ROUNDS = 3;

/** A stand-in for the Pwned Passwords range API (unreachable from here) that lists nothing. */
async function emptyRangeApi() {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end('0018A45C4D1DEF81644B54AB7F969B88D65:1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    asked,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * With the breached-password check on (against a local stand-in of the range API), setting a
 * password asks the range API once, by the first five hex digits of the password's SHA-1 only;
 * login never asks it. What the check costs in time is not this suite's business.
 */
describe('the breached-password check asks the range API when a password is set, never at login', () => {
  let standIn: Awaited<ReturnType<typeof emptyRangeApi>>;
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    standIn = await emptyRangeApi();
    t = await startTestApp({
      env: { ...NO_RATE_LIMITS, BREACHED_PASSWORD_CHECK: 'true', PWNED_PASSWORDS_URL: standIn.url },
    });
    w = new World(t);
  });
  afterAll(async () => {
    await t.close();
    await standIn.close();
  });

  it(`asks once per registration, by a 5-hex prefix, and not at login (${ROUNDS} accounts)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const credentials = newCredentials();
      await w.expect('register', auth.register, 'success', { body: credentials });
      // The account work (the check, the hash) is done once its link is mailed.
      const token = await w.mailedToken(credentials.email, /Confirm/);
      await w.expect('verify email', auth.verifyEmail, 'success', { body: { token } });
      await w.login(credentials);
    }
    expect(standIn.asked).toHaveLength(ROUNDS);
    for (const path of standIn.asked) expect(path).toMatch(/^\/range\/[0-9A-F]{5}$/);
  });
});
