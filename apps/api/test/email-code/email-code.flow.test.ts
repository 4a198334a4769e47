import { mfaChallengeSchema, type User, userSchema } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeBus } from '../../src/core/realtime-bus/realtime-bus.js';
import {
  bearer,
  get,
  login,
  post,
  refresh,
  refreshCookie,
  registerUnverified,
  registerVerified,
} from '../support/auth-client.js';
import { enableTotp, expectProblem, NO_RATE_LIMITS, totpCode } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  askForCode,
  codeMails,
  requestCode,
  requestDone,
  signedIn,
  tokensOf,
  verifyCode,
} from './email-code.client.js';

const WEB_ORIGIN = 'http://web.example.test';

describe('email-code sign-in and sign-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, WEB_ORIGIN } });
  });
  afterAll(() => t.close());

  const me = async (accessToken: string) => {
    const res = await get(t, '/users/me', bearer(accessToken));
    expect(res.status).toBe(200);
    return userSchema.parse(await res.json());
  };

  it('answers 202 to known and unknown addresses alike, and mails only the account', async () => {
    const account = await registerVerified(t);
    const unknown = newCredentials().email;
    const known = await requestCode(t, { email: account.email });
    const nobody = await requestCode(t, { email: unknown });
    expect([known.status, nobody.status]).toEqual([202, 202]);
    expect(await known.text()).toBe(await nobody.text());
    expect(known.headers.get('content-type')).toBe(nobody.headers.get('content-type'));

    await requestDone(t, unknown);
    expect(await codeMails(t, unknown)).toEqual([]);
    const { mail } = await askForCode(t, account.email, undefined, 2);
    expect(mail.subject).toBe('Your sign-in code');
  });

  it('mails a 6-digit code and a link that carries it in the fragment only', async () => {
    const { email } = await registerVerified(t);
    const { code, link, mail } = await askForCode(t, email);
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`${WEB_ORIGIN}/login/email-code`);
    expect(url.search).toBe('');
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({ email, code });
    expect(mail.text).toContain(code);
    expect(mail.text).toContain(link);
  });

  it('signs a browser in: refresh cookie, no token in the body', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const res = await verifyCode(t, { email, code });
    const tokens = await tokensOf(res);
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.user.email).toBe(email);
    const cookie = refreshCookie(res);
    expect(cookie).toBeDefined();
    expect((await refresh(t, cookie!)).status).toBe(200);
    expect((await me(tokens.accessToken)).email).toBe(email);
  });

  it('signs a native client in: the refresh token in the body, no cookie', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const res = await fetch(`${t.api}/auth/email-code/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, code }),
    });
    const tokens = await tokensOf(res);
    expect(tokens.refreshToken).toBeDefined();
    expect(refreshCookie(res)).toBeUndefined();
    const refreshed = await fetch(`${t.api}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
  });

  it('verifies the address: an unconfirmed account signs in with a code and is confirmed', async () => {
    const credentials = newCredentials();
    await registerUnverified(t, credentials);
    const { email, password } = credentials;
    await expectProblem(
      await post(t, '/auth/login', { email, password }),
      403,
      'email_not_verified',
    );
    const { code } = await askForCode(t, credentials.email);
    const tokens = await tokensOf(await verifyCode(t, { email: credentials.email, code }));
    expect(tokens.user.emailVerified).toBe(true);
    expect((await login(t, credentials)).body.user.emailVerified).toBe(true);
  });

  it('asks for the TOTP code when MFA is on, then signs in with it', async () => {
    const credentials = await registerVerified(t);
    const { secret } = await enableTotp(t, (await login(t, credentials)).accessToken);
    const { code } = await askForCode(t, credentials.email);
    const res = await verifyCode(t, { email: credentials.email, code });
    const result = await signedIn(res);
    const { mfaToken } = mfaChallengeSchema.parse(result);
    expect(Object.keys(result).sort()).toEqual(['methods', 'mfaRequired', 'mfaToken']);
    expect(res.headers.getSetCookie()).toEqual([]);

    const verified = await post(t, '/auth/verify-mfa', { mfaToken, code: totpCode(secret, 1) });
    expect(verified.status).toBe(200);
    expect(refreshCookie(verified)).toBeDefined();
  });

  it('signs up without a password: the account is made, verified, by the code', async () => {
    const { email, name } = newCredentials();
    const { code, mail } = await askForCode(t, email, name);
    expect(mail.subject).toBe('Your code to finish signing up');
    // Nothing exists until the code is verified.
    await expectProblem(
      await post(t, '/auth/login', { email, password: 'anything at all' }),
      401,
      'invalid_credentials',
    );

    const tokens = await tokensOf(await verifyCode(t, { email, code }));
    expect(tokens.user).toMatchObject({ email, name, emailVerified: true, hasPassword: false });
    // No password to log in with.
    await expectProblem(
      await post(t, '/auth/login', { email, password: 'anything at all' }),
      401,
      'invalid_credentials',
    );
    // Signs in again with a new code.
    const again = await askForCode(t, email, undefined, 2);
    expect(again.mail.subject).toBe('Your sign-in code');
    const second = await tokensOf(await verifyCode(t, { email, code: again.code }));
    expect(second.user.id).toBe(tokens.user.id);
  });

  it('a sign-up for a taken address mails a sign-in code for that account, and changes nothing', async () => {
    const credentials = await registerVerified(t);
    const { code, mail } = await askForCode(t, credentials.email, 'Someone Else');
    expect(mail.subject).toBe('Your sign-in code');
    const tokens = await tokensOf(await verifyCode(t, { email: credentials.email, code }));
    expect(tokens.user).toMatchObject({ name: credentials.name, hasPassword: true });
  });

  it('sets a first password, announced to the user’s devices; then the password logs in', async () => {
    const { email, name } = newCredentials();
    const { code } = await askForCode(t, email, name);
    const { accessToken, user } = await tokensOf(await verifyCode(t, { email, code }));

    const announced: User[] = [];
    const off = t.app.get(RealtimeBus).onEvent((e) => {
      if (e.event === 'user.updated') announced.push((e.data as { user: User }).user);
    });
    const password = 'my first passphrase';
    const res = await post(t, '/auth/set-password', { password }, bearer(accessToken));
    expect(res.status).toBe(200);
    expect(userSchema.parse(await res.json())).toMatchObject({ id: user.id, hasPassword: true });
    off();
    expect(announced.map((u) => [u.id, u.hasPassword])).toEqual([[user.id, true]]);

    expect((await login(t, { email, password })).body.user.id).toBe(user.id);
    expect((await me(accessToken)).hasPassword).toBe(true);
  });

  it('refuses to set a password over an existing one (409: change it instead)', async () => {
    const credentials = await registerVerified(t);
    const { accessToken } = await login(t, credentials);
    const res = await post(
      t,
      '/auth/set-password',
      { password: 'another passphrase' },
      bearer(accessToken),
    );
    const problem = await expectProblem(res, 409, 'conflict');
    expect(problem.detail).toMatch(/change it/);
    // The old password still works; the new one does not.
    await login(t, credentials);
    await expectProblem(
      await post(t, '/auth/login', { email: credentials.email, password: 'another passphrase' }),
      401,
      'invalid_credentials',
    );
  });
});
