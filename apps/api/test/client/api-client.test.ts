import { type ApiError, type LoggedOut, type RetryEvent, type TokenChange } from '@repo/client';
import { type AuthTokens } from '@repo/contracts';
import { disposeClients, freePort, nativeClient, rejection } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerVerified } from '../support/auth-client.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import {
  browserTabs,
  flakyProxy,
  holdExpiredToken,
  holdShortLivedToken,
  loggedIn,
  served,
} from './helpers.js';

describe('ApiClient against the real API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterEach(() => disposeClients());
  afterAll(() => t?.close());

  it('logs in (native: the refresh token comes in the body) and reads /users/me', async () => {
    const credentials = await registerVerified(t);
    const client = nativeClient(t.api);
    const result = await client.auth.login({
      body: {
        email: credentials.email,
        password: credentials.password,
      },
    });
    expect('accessToken' in result).toBe(true);
    expect((result as AuthTokens).refreshToken).toEqual(expect.any(String));
    expect(client.refreshToken).toBe((result as AuthTokens).refreshToken);
    expect(client.sessionStatus).toBe('authenticated');

    const me = await client.users.me();
    expect(me).toMatchObject({
      email: credentials.email,
      name: credentials.name,
      emailVerified: true,
    });
    expect(await client.users.updateMe({ body: { name: 'Renamed' } })).toMatchObject({
      name: 'Renamed',
    });
  });

  it('turns problem bodies into ApiErrors with the right code', async () => {
    const { client, credentials } = await loggedIn(t);

    const wrong = await rejection(
      nativeClient(t.api).auth.login({
        body: { email: credentials.email, password: 'not the password' },
      }),
    );
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_credentials', kind: 'http' });
    expect(wrong.isAuthError()).toBe(true);
    expect(wrong.requestId).toEqual(expect.any(String));

    const common = await rejection(
      client.auth.changePassword({
        body: { currentPassword: credentials.password, newPassword: 'qwertyuiop' },
      }),
    );
    expect(common).toMatchObject({ status: 400, code: 'password_too_common' });

    const invalid = await rejection(client.users.updateMe({ body: { name: '   ' } }));
    expect(invalid.isValidationError()).toBe(true);
    expect(Object.keys(invalid.fieldErrors)).toContain('name');

    const missing = await rejection(
      client.sessions.revoke({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    );
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(missing.isNotFound()).toBe(true);
  });

  it('many concurrent requests with an expired access token: exactly one refresh, all succeed', async () => {
    const { client } = await loggedIn(t, { proactiveRefresh: false });
    holdExpiredToken(t, client); // the token is expired now; the client does not know
    const before = client.accessToken;
    const refreshesBefore = served(t, 'POST', '/auth/refresh');
    const unauthorizedBefore = served401(t);

    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => client.users.me()),
      ...Array.from({ length: 10 }, () => client.sessions.list()),
    ]);
    expect(results).toHaveLength(20);
    expect(served(t, 'POST', '/auth/refresh') - refreshesBefore).toBe(1);
    expect(client.accessToken).not.toBe(before);
    // Every request was refused once (token expired), then retried once with the new token.
    await expect.poll(() => served401(t) - unauthorizedBefore).toBe(20);
  });

  it('refreshes before expiry on its own (proactive), so requests never see a 401', async () => {
    const { client } = await loggedIn(t);
    const changes: TokenChange[] = [];
    client.on('tokenChanged', (e) => changes.push(e));
    holdShortLivedToken(t, client);
    await expect
      .poll(() => changes.filter((c) => c.reason === 'refresh').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    const unauthorizedBefore = served401(t);
    await client.users.me();
    expect(served401(t)).toBe(unauthorizedBefore);
  });

  it('refresh failure (session revoked): loggedOut emitted once, every request rejected with 401', async () => {
    const { client, credentials } = await loggedIn(t, { proactiveRefresh: false });
    const loggedOut: LoggedOut[] = [];
    client.on('loggedOut', (e) => loggedOut.push(e));

    // The same user on another device ends this session.
    const other = nativeClient(t.api);
    await other.auth.login({ body: { email: credentials.email, password: credentials.password } });
    const sessions = await other.sessions.list();
    const mine = sessions.find((s) => !s.current)!;
    await other.sessions.revoke({ params: { id: mine.id } });

    const errors = await Promise.all(Array.from({ length: 8 }, () => rejection(client.users.me())));
    expect(errors.every((e) => e.status === 401)).toBe(true);
    expect(loggedOut).toHaveLength(1);
    expect(loggedOut[0]!.reason).toBe('refresh_failed');
    expect(loggedOut[0]!.error?.status).toBe(401);
    expect(client.accessToken).toBeNull();
    expect(client.sessionStatus).toBe('anonymous');

    // Later calls fail without another refresh or event.
    const refreshes = served(t, 'POST', '/auth/refresh');
    await rejection(client.sessions.list());
    expect(served(t, 'POST', '/auth/refresh')).toBe(refreshes);
    expect(loggedOut).toHaveLength(1);
    // The other device is unaffected.
    expect((await other.users.me()).email).toBe(credentials.email);
  });

  it('browser tabs (Origin + httpOnly cookie): one refresh for all tabs, the others take its token', async () => {
    const credentials = await registerVerified(t);
    const [a, b, c] = browserTabs(t, 3, { proactiveRefresh: false });
    const result = await a!.auth.login({
      body: {
        email: credentials.email,
        password: credentials.password,
      },
    });
    expect((result as AuthTokens).refreshToken).toBeUndefined(); // browsers get the cookie only
    await expect
      .poll(() => [b!.accessToken, c!.accessToken])
      .toEqual([a!.accessToken, a!.accessToken]);

    for (const tab of [a!, b!, c!]) holdExpiredToken(t, tab);
    const refreshesBefore = served(t, 'POST', '/auth/refresh');
    const results = await Promise.all(
      [a!, b!, c!].flatMap((tab) => Array.from({ length: 4 }, () => tab.users.me())),
    );
    expect(results.every((u) => u.email === credentials.email)).toBe(true);
    expect(served(t, 'POST', '/auth/refresh') - refreshesBefore).toBe(1);
    expect(new Set([a!.accessToken, b!.accessToken, c!.accessToken]).size).toBe(1);

    // Logging out in one tab logs the others out.
    const loggedOut: LoggedOut[] = [];
    b!.on('loggedOut', (e) => loggedOut.push(e));
    await a!.auth.logout();
    await expect.poll(() => loggedOut).toEqual([{ reason: 'other_tab' }]);
    expect(c!.accessToken).toBeNull();
  });

  it('retries a GET answered 503 (with backoff), never a POST', async () => {
    const proxy = await flakyProxy(t.api);
    try {
      const { client } = await loggedIn(
        { ...t, api: proxy.api },
        { retry: { retries: 3, baseDelayMs: 10, maxDelayMs: 50 } },
      );
      const retries: RetryEvent[] = [];
      client.on('retry', (e) => retries.push(e));

      proxy.state.failNext = 2;
      const gets = proxy.count('GET');
      expect(await client.apiKeys.list()).toEqual([]);
      expect(proxy.count('GET') - gets).toBe(3);
      expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
        [1, 503],
        [2, 503],
      ]);

      proxy.state.failNext = 2;
      const posts = proxy.count('POST');
      const error = await rejection(client.apiKeys.create({ body: { name: 'once' } }));
      expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(error.isServerError()).toBe(true);
      expect(proxy.count('POST') - posts).toBe(1);
      expect(retries).toHaveLength(2);
      proxy.state.failNext = 0;
      // Nothing was created by the refused POST.
      expect(await client.apiKeys.list()).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('honours Retry-After on a 429', async () => {
    const proxy = await flakyProxy(t.api);
    try {
      const client = nativeClient(proxy.api);
      proxy.state.failNext = 1;
      proxy.state.status = 429;
      proxy.state.retryAfter = '1';
      const retries: RetryEvent[] = [];
      client.on('retry', (e) => retries.push(e));
      // The wait itself is the client's unit test's (on a moved clock); here, the real header.
      expect((await client.health.live()).status).toBe('ok');
      expect(retries).toMatchObject([{ reason: 429, delayMs: 1_000 }]);
    } finally {
      await proxy.close();
    }
  });

  it('a network error (nothing listening) is retried for GET but not POST, and diagnosed', async () => {
    const port = await freePort();
    const client = nativeClient(`http://127.0.0.1:${port}/api/v1`, {
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 20 },
    });
    const retries: RetryEvent[] = [];
    const problems: ApiError[] = [];
    client.on('retry', (e) => retries.push(e));
    client.on('connectionProblem', (e) => problems.push(e));

    const get = await rejection(client.health.live());
    expect(get).toMatchObject({ kind: 'network', status: 0 });
    expect(get.isNetworkError()).toBe(true);
    expect(get.diagnosis).toMatchObject({ finding: 'network_error', cause: 'ECONNREFUSED' });
    expect(retries.map((r) => r.reason)).toEqual(['network', 'network']);

    const post = await rejection(
      client.auth.register({
        body: {
          email: 'nobody@example.com',
          password: 'long enough pass',
          name: 'N',
        },
      }),
    );
    expect(post.kind).toBe('network');
    expect(retries).toHaveLength(2);
    expect(problems).toHaveLength(2);
  });
});

const served401 = (t: TestApp) =>
  t.logs.filter((l) => (l.res as { statusCode?: number } | undefined)?.statusCode === 401).length;
