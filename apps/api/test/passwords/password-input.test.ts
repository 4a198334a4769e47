import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, post, registerVerified } from '../support/auth-client.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** A 128-character passphrase (the contract's maximum), with spaces, accents and emoji in it. */
const LONG = `Ünïcode spaces and 🦄 emoji ${'in a long passphrase '.repeat(6)}`.slice(0, 128);

describe('a password is taken as typed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  const refused = async (email: string, password: string) =>
    (await post(t, '/auth/login', { email, password })).status;

  it('accepts a passphrase of 64 characters and more (up to 128), spaces and emoji included', async () => {
    expect(LONG.length).toBeGreaterThanOrEqual(64);
    const credentials = await registerVerified(t, { ...newCredentials(), password: LONG });
    expect((await login(t, credentials)).accessToken).toBeTruthy();
  });

  it('checks it exactly: another case, a cut or an added character is a wrong password', async () => {
    const credentials = await registerVerified(t, { ...newCredentials(), password: LONG });
    const { email } = credentials;
    expect(await refused(email, LONG.toUpperCase())).toBe(401);
    expect(await refused(email, LONG.slice(0, 72))).toBe(401);
    expect(await refused(email, `${LONG.slice(0, 127)}!`)).toBe(401);
    expect(await refused(email, ` ${LONG.slice(0, 127)}`)).toBe(401);
  });
});
