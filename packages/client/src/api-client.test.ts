import {
  contract,
  defineContract,
  endpointsOf,
  type LoginResult,
  type User,
} from '@repo/contracts';
import { AxiosError } from 'axios';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiClient, type ApiClientOptions } from './api-client.js';
import { type Page } from './calls/types.js';
import { type Item, sampleContract, sampleItem } from './test-support/sample-contract.js';
import { type LoggedOut, type TokenChange } from './session/session-types.js';
import { ApiError } from './transport/api-error.js';
import { type RetryEvent } from './transport/transport.js';
import {
  BASE,
  type FakeResponse,
  fakeApi,
  networkError,
  problem,
  sleep,
  USER,
} from './test-support/fake-api.js';

const clients: { dispose(): void }[] = [];
const options = (api: ReturnType<typeof fakeApi>) =>
  ({
    baseUrl: BASE,
    mode: 'native',
    adapter: api.adapter,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    diagnose: false,
    contract: sampleContract,
  }) as const;
const client = (
  api: ReturnType<typeof fakeApi>,
  extra: Partial<ApiClientOptions<typeof sampleContract>> = {},
) => {
  const c = new ApiClient({ ...options(api), ...extra });
  clients.push(c);
  return c;
};

/** Resolves once the refresh the client sent has its answer, and that answer has run its course. */
async function refreshAnswered(api: ReturnType<typeof fakeApi>) {
  await api.state.requests.find((r) => r.path === '/auth/refresh')!.answered;
  await new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) c.dispose();
});

const CREDENTIALS = { email: 'ada@example.com', password: 'correct horse battery' };

const rejection = async (promise: Promise<unknown>): Promise<ApiError> => {
  const error: unknown = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
};

describe('typed endpoints', () => {
  it('infers request and response types from the contracts', () => {
    const c = new ApiClient({
      baseUrl: BASE,
      mode: 'native',
      crossTab: false,
      contract: sampleContract,
    });
    expectTypeOf(c.users.me).returns.resolves.toEqualTypeOf<User>();
    expectTypeOf(c.items.list).returns.resolves.toEqualTypeOf<Page<Item>>();
    expectTypeOf(c.items.get).parameter(0).toHaveProperty('params').toEqualTypeOf<{ id: string }>();
    expectTypeOf(c.items.create)
      .parameter(0)
      .toHaveProperty('body')
      .toEqualTypeOf<{ title: string }>();
    expectTypeOf(c.auth.login).returns.resolves.toEqualTypeOf<LoginResult>();
    expectTypeOf(c.items.delete).returns.resolves.toEqualTypeOf<void>();
    c.dispose();
  });

  it('logs in, then sends the access token; lists items with the total from X-Total-Count', async () => {
    const api = fakeApi();
    const c = client(api);
    const changes: TokenChange[] = [];
    c.on('tokenChanged', (change) => changes.push(change));

    const result = await c.auth.login({ body: CREDENTIALS });
    expect('accessToken' in result && result.accessToken).toBe('at-1');
    expect(c.accessToken).toBe('at-1');
    expect(c.user).toEqual(USER);
    expect(c.sessionStatus).toBe('authenticated');
    expect(changes).toMatchObject([{ accessToken: 'at-1', reason: 'login', user: USER }]);
    // The login itself carried no Authorization header.
    expect(api.state.requests[0]!.headers.authorization).toBeUndefined();

    expect(await c.users.me()).toEqual(USER);
    expect(api.state.requests.at(-1)!.headers.authorization).toBe('Bearer at-1');

    expect(await c.items.list({ query: { page: 2 } })).toEqual({
      data: [sampleItem(1), sampleItem(2)],
      total: 42,
      page: 2,
      pageSize: 20,
    });
    expect(api.state.requests.at(-1)!.path).toBe('/items');
  });

  it('derives a call for every endpoint of the contracts, with the right method and path', async () => {
    const api = fakeApi();
    const seen = new Set<string>();
    const table = endpointsOf(contract);
    api.routes.clear();
    for (const e of table) {
      const route = `${e.method} ${e.path.replace(/:(\w+)/g, '$11')}`;
      api.routes.set(route, () => {
        seen.add(route);
        return /login|verify-mfa|refresh/.test(e.path)
          ? { status: 200, data: api.issue() }
          : { status: 200, data: [], headers: { 'x-total-count': '0' } };
      });
    }
    const c = client(api, { validateResponses: false, retry: false });
    await c.auth.login({ body: {} as never });
    // Every call of every feature, with a value for each path parameter (`:id` → `id1`).
    const calls = c as unknown as Record<
      string,
      Record<string, (input: object) => Promise<unknown>>
    >;
    await Promise.all(
      table
        .filter((e) => e.session !== 'ends')
        .map((e) => {
          const [feature, name] = e.id.split('.') as [string, string];
          const params = Object.fromEntries(
            [...e.path.matchAll(/:(\w+)/g)].map(([, param]) => [param!, `${param!}1`]),
          );
          return calls[feature]![name]!({ params, body: {} });
        }),
    );
    await c.auth.logoutAll();
    await c.auth.logout();
    const expected = new Set(table.map((e) => `${e.method} ${e.path.replace(/:(\w+)/g, '$11')}`));
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('derives the calls of any contract: a new endpoint needs no client code', async () => {
    const bookmarks = defineContract(
      {
        bookmarks: {
          add: {
            method: 'PUT',
            path: '/bookmarks/:id',
            summary: 'Keep a link',
            access: 'session',
            params: z.object({ id: z.string() }),
            body: z.object({ url: z.url() }),
            response: z.object({ id: z.string(), url: z.string() }),
          },
        },
      },
      { bookmarks: 'Links' },
    );
    const api = fakeApi();
    api.routes.set('PUT /bookmarks/b%201', ({ body }) => ({
      status: 200,
      data: { id: 'b 1', ...(body as object) },
    }));
    const c = new ApiClient({ ...options(api), contract: bookmarks });
    clients.push(c);
    const added = await c.bookmarks.add({
      params: { id: 'b 1' },
      body: { url: 'https://a.test/' },
    });
    expectTypeOf(added).toEqualTypeOf<{ id: string; url: string }>();
    expect(added).toEqual({ id: 'b 1', url: 'https://a.test/' });
    expect(api.state.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/bookmarks/b%201' });
  });

  it('sends {} as the body of a POST without one (axios would say form-urlencoded: a 415)', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('POST /auth/logout-all', () => ({ status: 204 }));
    await c.auth.logoutAll();
    expect(api.state.requests.at(-1)).toMatchObject({
      path: '/auth/logout-all',
      body: {},
      headers: { 'content-type': 'application/json' },
    });
  });

  it('encodes path parameters and refuses a missing one', async () => {
    const api = fakeApi();
    const c = client(api, { retry: false });
    await c.items.get({ params: { id: 'a/b c' } }).catch(() => undefined);
    expect(api.state.requests.at(-1)!.path).toBe('/items/a%2Fb%20c');
    await expect(c.items.get({ params: { id: '' } })).rejects.toThrow('Missing path parameter :id');
  });

  it('rejects a success body that breaks the contract', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('GET /users/me', () => ({ status: 200, data: { id: 'nope' } }));
    const error = await rejection(c.users.me());
    expect(error.kind).toBe('invalid_response');
    expect(error.detail).toMatch(/does not match the contract/);
  });

  it('rejects a page without X-Total-Count, saying why it may be missing', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('GET /items', () => ({ status: 200, data: [] }));
    const error = await rejection(c.items.list());
    expect(error.detail).toMatch(/Access-Control-Expose-Headers/);
  });

  it('turns problem bodies into ApiErrors with their code', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('POST /items', () => ({
      ...problem('validation_failed'),
      data: {
        ...(problem('validation_failed').data as object),
        errors: [{ path: 'title', message: 'Required' }],
      },
    }));
    const error = await rejection(c.items.create({ body: { title: '' } }));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', requestId: 'req-1' });
    expect(error.fieldErrors).toEqual({ title: 'Required' });
    expect(error.isValidationError()).toBe(true);
  });
});

describe('refresh', () => {
  it('makes one refresh for many concurrent 401s, and retries each request once', async () => {
    const api = fakeApi({ refreshDelayMs: 30 });
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.state.valid.clear(); // the access token expired at the server

    const results = await Promise.all(Array.from({ length: 25 }, () => c.users.me()));
    expect(results).toHaveLength(25);
    expect(results.every((u) => u.id === USER.id)).toBe(true);
    expect(api.count('POST /auth/refresh')).toBe(1);
    expect(api.count('GET /users/me')).toBe(50); // each one: the 401, then the retry
    expect(c.accessToken).toBe('at-2');

    // A later expiry gets its own single refresh.
    api.state.valid.clear();
    await Promise.all(Array.from({ length: 5 }, () => c.items.list()));
    expect(api.count('POST /auth/refresh')).toBe(2);
  });

  it('does not refresh again for a 401 that arrives after another request already refreshed', async () => {
    const api = fakeApi({ refreshDelayMs: 0 });
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.state.valid.clear();
    let slowStarted!: () => void;
    const started = new Promise<void>((resolve) => (slowStarted = resolve));
    const refreshed = new Promise((resolve) => c.once('tokenChanged', resolve));
    api.routes.set('GET /items', async (r) => {
      slowStarted();
      await refreshed; // still in flight with at-1 while the refresh happens
      return r.headers.authorization === 'Bearer at-2'
        ? { status: 200, data: [], headers: { 'x-total-count': '0' } }
        : problem('token_expired');
    });
    const slow = c.items.list();
    await started;
    await c.users.me(); // 401 → refresh → at-2
    await slow;
    expect(api.count('POST /auth/refresh')).toBe(1);
  });

  it('emits loggedOut once when the refresh fails, and stops refreshing', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.state.valid.clear();
    api.state.refreshFails = 'token_invalid';
    const loggedOut: LoggedOut[] = [];
    const tokens: TokenChange[] = [];
    c.on('loggedOut', (e) => loggedOut.push(e));
    c.on('tokenChanged', (e) => tokens.push(e));

    const errors = await Promise.all(Array.from({ length: 10 }, () => rejection(c.users.me())));
    expect(errors.every((e) => e.status === 401 && e.isAuthError())).toBe(true);
    expect(api.count('POST /auth/refresh')).toBe(1);
    expect(loggedOut).toHaveLength(1);
    expect(loggedOut[0]).toMatchObject({
      reason: 'refresh_failed',
      error: { code: 'token_invalid' },
    });
    expect(tokens).toMatchObject([{ accessToken: null, reason: 'expired' }]);
    expect(c.accessToken).toBeNull();
    expect(c.sessionStatus).toBe('anonymous');

    // Logged out: a later 401 is just an error, no refresh and no second event.
    await rejection(c.users.me());
    expect(api.count('POST /auth/refresh')).toBe(1);
    expect(loggedOut).toHaveLength(1);
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.state.valid.clear();
    api.routes.set('POST /auth/refresh', () => ({
      status: 503,
      data: problem('service_unavailable').data,
    }));
    const loggedOut = vi.fn();
    c.on('loggedOut', loggedOut);
    const error = await rejection(c.users.me());
    expect(error.status).toBe(401);
    expect(loggedOut).not.toHaveBeenCalled();
    expect(c.sessionStatus).toBe('authenticated');
  });

  it('never refreshes for the auth endpoints themselves', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('POST /auth/login', () => problem('invalid_credentials'));
    const error = await rejection(c.auth.login({ body: CREDENTIALS }));
    expect(error.code).toBe('invalid_credentials');
    // Also through the raw axios instance.
    await c.http.post('/auth/login', CREDENTIALS).catch(() => undefined);
    expect(api.count('POST /auth/refresh')).toBe(0);
  });

  it('a logout cancels a refresh under way: its answer stores nothing, and only the refresh fails', async () => {
    const api = fakeApi({ refreshDelayMs: 50 });
    const c = client(api, { mode: 'native' });
    await c.auth.login({ body: CREDENTIALS });
    const changes: TokenChange[] = [];
    c.on('tokenChanged', (e) => changes.push(e));
    const logged = vi.spyOn(console, 'error');
    const refreshing = rejection(c.auth.refresh());
    await vi.waitFor(() => expect(api.count('POST /auth/refresh')).toBe(1));
    await c.auth.logout();
    expect((await refreshing).kind).toBe('aborted');
    expect(api.state.requests.find((r) => r.path === '/auth/refresh')!.aborted).toBe(true);
    // The API ends a session by a refresh token it rotated away too: the one held is enough.
    expect(api.state.requests.at(-1)).toMatchObject({
      path: '/auth/logout',
      body: { refreshToken: 'rt-1' },
    });
    await refreshAnswered(api); // the refresh's answer came, and found nobody waiting
    expect(c.accessToken).toBeNull();
    expect(c.sessionStatus).toBe('anonymous');
    expect(changes.map((e) => e.reason)).toEqual(['logout']);
    expect(logged).not.toHaveBeenCalled();
  });

  it('a session ended here while a refresh is under way stays ended', async () => {
    const api = fakeApi({ refreshDelayMs: 50 });
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const refreshing = rejection(c.refreshSession());
    await vi.waitFor(() => expect(api.count('POST /auth/refresh')).toBe(1));
    c.clearSession();
    expect((await refreshing).kind).toBe('aborted');
    await refreshAnswered(api);
    expect(api.state.requests.at(-1)).toMatchObject({ path: '/auth/refresh', aborted: true });
    expect(c.accessToken).toBeNull();
    expect(c.sessionStatus).toBe('anonymous');
  });

  it('holds the new tokens a re-authentication answers with (the session renewed)', async () => {
    const api = fakeApi();
    const c = client(api, { mode: 'native' });
    await c.auth.login({ body: CREDENTIALS });
    api.routes.set('POST /auth/reauth', () => ({
      status: 200,
      data: { ...api.issue(), until: new Date(Date.now() + 600_000).toISOString() },
    }));
    await c.reauth.reauthenticate({ body: { proof: 'password', password: 'correct horse' } });
    await c.users.me();
    expect(api.state.requests.at(-1)!.headers.authorization).toBe('Bearer at-2');
    await c.auth.logout();
    expect(api.state.requests.at(-1)!.body).toEqual({ refreshToken: 'rt-2' });
  });

  describe('a sensitive change without a recent proof of identity', () => {
    const reauthRequired = () => {
      const refused = problem('reauth_required');
      return { ...refused, data: { ...(refused.data as object), proofs: ['password', 'passkey'] } };
    };
    /** DELETE /items/x: refused until `proved`, then done. */
    const sensitiveApi = () => {
      const api = fakeApi();
      const state = { proved: false };
      api.routes.set('DELETE /items/x', () => (state.proved ? { status: 204 } : reauthRequired()));
      return { api, state };
    };

    it('asks the handler with the proofs accepted, then sends the call again', async () => {
      const { api, state } = sensitiveApi();
      const c = client(api);
      await c.auth.login({ body: CREDENTIALS });
      const asked: unknown[] = [];
      c.handleReauth(({ proofs, endpoint }) => {
        asked.push({ proofs, id: endpoint.id });
        state.proved = true;
        return Promise.resolve(true);
      });
      await c.items.delete({ params: { id: 'x' } });
      expect(asked).toEqual([{ proofs: ['password', 'passkey'], id: 'items.delete' }]);
      expect(api.count('DELETE /items/x')).toBe(2);
    });

    it('fails with reauth_required when the handler declines, or there is none', async () => {
      const { api } = sensitiveApi();
      const c = client(api);
      await c.auth.login({ body: CREDENTIALS });
      expect((await rejection(c.items.delete({ params: { id: 'x' } }))).code).toBe(
        'reauth_required',
      );
      const off = c.handleReauth(() => Promise.resolve(false));
      expect((await rejection(c.items.delete({ params: { id: 'x' } }))).code).toBe(
        'reauth_required',
      );
      off();
      expect(api.count('DELETE /items/x')).toBe(2);
    });
  });

  it('native mode: keeps the refresh token in memory and sends it in the body', async () => {
    const api = fakeApi();
    const c = client(api, { mode: 'native' });
    await c.auth.login({ body: CREDENTIALS });
    expect(c.refreshToken).toBe('rt-1');
    await c.auth.refresh();
    expect(api.state.requests.at(-1)!.body).toEqual({ refreshToken: 'rt-1' });
    expect(c.refreshToken).toBe('rt-2');
    await c.auth.logout();
    expect(api.state.requests.at(-1)).toMatchObject({
      path: '/auth/logout',
      body: { refreshToken: 'rt-2' },
    });
    expect(c.refreshToken).toBeUndefined();
  });

  it('browser mode: sends {} (the cookie carries the refresh token) and tries a refresh on a fresh tab', async () => {
    const api = fakeApi();
    const c = client(api, { mode: 'browser', crossTab: false });
    expect(c.sessionStatus).toBe('unknown');
    // A new tab: no access token in memory, maybe a cookie. The 401 leads to a refresh.
    expect(await c.users.me()).toEqual(USER);
    expect(api.state.requests[1]).toMatchObject({ path: '/auth/refresh', body: {} });
    expect(c.sessionStatus).toBe('authenticated');
  });

  it('browser mode: a browser that never logged in makes no refresh call, until it logs in', async () => {
    const flag = { present: false };
    const sessionHint = { get: () => flag.present, set: (p: boolean) => (flag.present = p) };
    const api = fakeApi();
    const fresh = client(api, { mode: 'browser', crossTab: false, sessionHint });
    expect(fresh.sessionStatus).toBe('anonymous');
    await expect(fresh.users.me()).rejects.toBeInstanceOf(ApiError);
    expect(api.count('POST /auth/refresh')).toBe(0);

    await fresh.auth.login({ body: CREDENTIALS });
    expect(flag.present).toBe(true);
    // The next page load of this browser tries to restore the session.
    expect(client(api, { mode: 'browser', crossTab: false, sessionHint }).sessionStatus).toBe(
      'unknown',
    );
    await fresh.auth.logout();
    expect(flag.present).toBe(false);
  });

  it('refreshes shortly before expiry, on a timer', async () => {
    vi.useFakeTimers();
    const api = fakeApi({ expiresIn: 10, refreshDelayMs: 0 });
    const c = client(api, { random: () => 0 });
    const changes: TokenChange[] = [];
    c.on('tokenChanged', (e) => changes.push(e));
    await c.auth.login({ body: CREDENTIALS });
    // Counted as 9 s (exp is in whole seconds); the lead is a fifth of that: 1.8 s.
    await vi.advanceTimersByTimeAsync(7_100);
    expect(api.count('POST /auth/refresh')).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(api.count('POST /auth/refresh')).toBe(1);
    expect(changes.map((e) => e.reason)).toEqual(['login', 'refresh']);
    expect(c.accessToken).toBe('at-2');
  });

  it('refreshes before sending a request whose token is about to expire (missed timer)', async () => {
    const api = fakeApi({ expiresIn: 10, refreshDelayMs: 0 });
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const later = Date.now() + 9_500;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    api.state.valid.clear();
    expect(await c.users.me()).toEqual(USER);
    // No 401 was needed: the refresh went first.
    expect(
      api.state.requests.map((r) =>
        `${r.method} ${r.path} ${r.headers.authorization ?? ''}`.trim(),
      ),
    ).toEqual(['POST /auth/login', 'POST /auth/refresh', 'GET /users/me Bearer at-2']);
  });

  it('with proactive refresh off, an expired token is refreshed on its 401', async () => {
    const api = fakeApi({ expiresIn: 1 });
    const c = client(api, { proactiveRefresh: false });
    await c.auth.login({ body: CREDENTIALS });
    api.state.valid.clear();
    await c.users.me();
    expect(api.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /auth/login',
      'GET /users/me',
      'POST /auth/refresh',
      'GET /users/me',
    ]);
  });
});

describe('retries', () => {
  const failing = (api: ReturnType<typeof fakeApi>, route: string, answers: FakeResponse[]) => {
    const calls = { n: 0 };
    api.routes.set(route, () => answers[Math.min(calls.n++, answers.length - 1)]!);
    return calls;
  };

  it('retries a GET on 502/503/504 with backoff, then succeeds', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const calls = failing(api, 'GET /users/me', [
      problem('service_unavailable', undefined, 502),
      problem('service_unavailable'),
      problem('service_unavailable', undefined, 504),
      { status: 200, data: USER },
    ]);
    const retries: RetryEvent[] = [];
    c.on('retry', (e) => retries.push(e));
    expect(await c.users.me()).toEqual(USER);
    expect(calls.n).toBe(4);
    expect(retries.map((r) => [r.attempt, r.reason])).toEqual([
      [1, 502],
      [2, 503],
      [3, 504],
    ]);
  });

  it('gives up after the last retry with the ApiError of the last answer', async () => {
    const api = fakeApi();
    const c = client(api, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    await c.auth.login({ body: CREDENTIALS });
    const calls = failing(api, 'GET /users/me', [problem('service_unavailable')]);
    const error = await rejection(c.users.me());
    expect(calls.n).toBe(3);
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(error.isServerError()).toBe(true);
  });

  it('never retries a POST or a PATCH', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const post = failing(api, 'POST /items', [problem('service_unavailable')]);
    await rejection(c.items.create({ body: { title: 'x' } }));
    expect(post.n).toBe(1);
    const patch = failing(api, `PATCH /items/${sampleItem(1).id}`, [problem('rate_limited')]);
    await rejection(
      c.items.update({ params: { id: sampleItem(1).id }, body: { title: 'y', version: 1 } }),
    );
    expect(patch.n).toBe(1);
  });

  it('honours Retry-After on a 429', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const limited = problem('rate_limited');
    failing(api, 'GET /users/me', [
      { ...limited, headers: { ...limited.headers, 'retry-after': '1' } },
      { status: 200, data: USER },
    ]);
    const retries: RetryEvent[] = [];
    c.on('retry', (e) => retries.push(e));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const me = c.users.me();
    await vi.advanceTimersByTimeAsync(999);
    expect(api.count('GET /users/me')).toBe(1); // still waiting out the second
    await vi.advanceTimersByTimeAsync(1);
    await me;
    expect(api.count('GET /users/me')).toBe(2);
    expect(retries).toMatchObject([{ reason: 429, delayMs: 1_000 }]);
  });

  it('gives the caller retryAfterMs when Retry-After is longer than it will wait', async () => {
    const api = fakeApi();
    const c = client(api);
    await c.auth.login({ body: CREDENTIALS });
    const limited = problem('rate_limited');
    failing(api, 'GET /users/me', [
      { ...limited, headers: { ...limited.headers, 'retry-after': '3600' } },
    ]);
    const error = await rejection(c.users.me());
    expect(error.isRateLimited()).toBe(true);
    expect(error.retryAfterMs).toBe(3_600_000);
  });

  it('retries a GET on a network error but not a POST; reports the failure with its diagnosis', async () => {
    let sent = 0;
    const adapter: ApiClientOptions['adapter'] = (config) => {
      sent++;
      return Promise.reject(networkError(config));
    };
    const diagnose = vi.fn(() =>
      Promise.resolve({
        finding: 'api_unreachable' as const,
        apiUrl: BASE,
      }),
    );
    const c = new ApiClient({
      baseUrl: BASE,
      mode: 'native',
      adapter,
      diagnose,
      retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 },
    });
    clients.push(c);
    const problems: ApiError[] = [];
    c.on('connectionProblem', (e) => problems.push(e));

    const get = await rejection(c.health.live());
    expect(sent).toBe(3);
    expect(get).toMatchObject({
      kind: 'network',
      status: 0,
      diagnosis: { finding: 'api_unreachable' },
    });
    expect(get.isNetworkError()).toBe(true);
    expect(get.message).toContain('api_unreachable');

    sent = 0;
    const post = await rejection(
      c.auth.register({ body: { email: 'a@b.co', password: 'x'.repeat(12), name: 'A' } }),
    );
    expect(sent).toBe(1);
    expect(post.kind).toBe('network');
    expect(problems).toHaveLength(2);
  });

  it('shares one diagnosis among requests failing together; a CORS finding makes kind cors', async () => {
    let sent = 0;
    let release!: () => void;
    const allFailed = new Promise<void>((resolve) => (release = resolve));
    const adapter: ApiClientOptions['adapter'] = (config) => {
      if (++sent === 5) release();
      return Promise.reject(networkError(config, AxiosError.ERR_NETWORK));
    };
    const diagnose = vi.fn(async () => {
      await allFailed; // the diagnosis is still under way when the last request fails
      return {
        finding: 'cors_blocked' as const,
        apiUrl: BASE,
      };
    });
    const c = new ApiClient({ baseUrl: BASE, mode: 'native', adapter, diagnose, retry: false });
    clients.push(c);
    const errors = await Promise.all(Array.from({ length: 5 }, () => rejection(c.health.live())));
    expect(diagnose).toHaveBeenCalledOnce();
    expect(errors.every((e) => e.kind === 'cors' && e.diagnosis?.finding === 'cors_blocked')).toBe(
      true,
    );
  });

  it('emits connectionRestored on the first response after a problem', async () => {
    let down = true;
    const api = fakeApi();
    const adapter: ApiClientOptions['adapter'] = (config) =>
      down ? Promise.reject(networkError(config)) : api.adapter(config);
    const c = new ApiClient({ baseUrl: BASE, mode: 'native', adapter, retry: false });
    clients.push(c);
    const restored = vi.fn();
    c.on('connectionRestored', restored);
    await rejection(c.auth.login({ body: CREDENTIALS }));
    down = false;
    await c.auth.login({ body: CREDENTIALS });
    await c.users.me();
    expect(restored).toHaveBeenCalledOnce();
  });

  it('does not retry a timeout, and says it was one', async () => {
    let sent = 0;
    const adapter: ApiClientOptions['adapter'] = (config) => {
      sent++;
      return Promise.reject(
        new AxiosError('timeout of 5ms exceeded', AxiosError.ETIMEDOUT, config, {}),
      );
    };
    const c = new ApiClient({ baseUrl: BASE, mode: 'native', adapter, retry: { baseDelayMs: 1 } });
    clients.push(c);
    const error = await rejection(c.health.live());
    expect(sent).toBe(1);
    expect(error.kind).toBe('timeout');
    expect(error.diagnosis?.finding).toBe('api_timeout');
  });

  it('times out a request that takes too long (the real timeout setting)', async () => {
    const api = fakeApi();
    api.routes.set('GET /health', () => new Promise<never>(() => undefined)); // never answers
    // axios applies `timeout` inside its adapters; this adapter honours it like they do.
    const adapter: ApiClientOptions['adapter'] = (config) =>
      Promise.race([
        api.adapter(config),
        sleep(config.timeout!).then(() => {
          throw new AxiosError(
            `timeout of ${config.timeout}ms exceeded`,
            AxiosError.ETIMEDOUT,
            config,
            {},
          );
        }),
      ]);
    const c = new ApiClient({ baseUrl: BASE, mode: 'native', adapter, timeoutMs: 5_000 });
    clients.push(c);
    const error = await rejection(c.health.live({ timeoutMs: 20 }));
    expect(error.kind).toBe('timeout');
  });

  it('an aborted request is an ApiError of kind aborted, also while waiting to retry', async () => {
    const api = fakeApi();
    const c = client(api, { retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 } });
    await c.auth.login({ body: CREDENTIALS });
    failing(api, 'GET /users/me', [problem('service_unavailable')]);
    const controller = new AbortController();
    // Aborted once the client is waiting out the 5 s before its retry, not before.
    const waiting = new Promise<void>((resolve) => c.on('retry', () => resolve()));
    const pending = c.users.me({ signal: controller.signal });
    await waiting;
    controller.abort();
    const error = await rejection(pending);
    expect(error.kind).toBe('aborted');
    expect(error.isAborted()).toBe(true);
    // The retry itself was never sent.
    expect(api.count('GET /users/me')).toBe(1);
  });

  it('sends the API key when there is no access token', async () => {
    const api = fakeApi();
    const c = client(api, { apiKey: 'sk_test' });
    await c.items.list().catch(() => undefined);
    expect(api.state.requests[0]!.headers['x-api-key']).toBe('sk_test');
  });
});

describe('across tabs', () => {
  /** Two tabs of one browser: one lock manager, one broadcast channel name, one cookie (the fake API). */
  const twoTabs = () => {
    const api = fakeApi({ refreshDelayMs: 40 });
    const crossTab = {
      locks: navigator.locks,
      channel: (name: string) => new BroadcastChannel(name),
    };
    const options = { mode: 'browser' as const, crossTab, proactiveRefresh: false };
    return { api, a: client(api, options), b: client(api, options) };
  };

  it('a login in one tab reaches the other (in memory, by BroadcastChannel)', async () => {
    const { a, b } = twoTabs();
    const changes: TokenChange[] = [];
    b.on('tokenChanged', (e) => changes.push(e));
    await a.auth.login({ body: CREDENTIALS });
    await vi.waitFor(() => expect(b.accessToken).toBe('at-1'));
    expect(changes).toMatchObject([{ reason: 'other_tab', user: USER }]);
    expect(b.user).toEqual(USER);
  });

  it('one refresh for both tabs: the second tab takes the first one’s token', async () => {
    const { api, a, b } = twoTabs();
    await a.auth.login({ body: CREDENTIALS });
    await vi.waitFor(() => expect(b.accessToken).toBe('at-1'));
    api.state.valid.clear();
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => a.users.me()),
      ...Array.from({ length: 5 }, () => b.users.me()),
    ]);
    expect(results).toHaveLength(10);
    expect(api.count('POST /auth/refresh')).toBe(1);
    expect(a.accessToken).toBe('at-2');
    expect(b.accessToken).toBe('at-2');
  });

  it('a logout in one tab logs the other out', async () => {
    const { a, b } = twoTabs();
    await a.auth.login({ body: CREDENTIALS });
    await vi.waitFor(() => expect(b.accessToken).toBe('at-1'));
    const loggedOut = vi.fn();
    b.on('loggedOut', loggedOut);
    await a.auth.logout();
    await vi.waitFor(() => expect(loggedOut).toHaveBeenCalledWith({ reason: 'other_tab' }));
    expect(b.accessToken).toBeNull();
  });
});
