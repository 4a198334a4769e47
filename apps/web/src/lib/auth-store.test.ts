import {
  type ApiClientEvents,
  ApiError,
  Emitter,
  type SessionStatus,
  type SessionTokens,
} from '@repo/client';
import { type User } from '@repo/contracts';
import { describe, expect, it, vi } from 'vitest';
import { type AuthApi, AuthStore } from './auth-store';

const ada: User = {
  id: '9c1f6c3e-2b1a-4b5e-8e0a-1a2b3c4d5e6f',
  email: 'ada@example.com',
  name: 'Ada',
  emailVerified: true,
  mfaEnabled: false,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** The events and session status of an ApiClient, driven by hand. */
class FakeApi implements AuthApi {
  readonly events = new Emitter<ApiClientEvents>();
  sessionStatus: SessionStatus = 'unknown';
  user: User | null = null;
  refreshSession = vi.fn<() => Promise<SessionTokens>>();
  on = <K extends keyof ApiClientEvents>(
    event: K,
    listener: (payload: ApiClientEvents[K]) => void,
  ) => this.events.on(event, listener);

  login(user: User) {
    this.sessionStatus = 'authenticated';
    this.user = user;
    this.events.emit('tokenChanged', {
      accessToken: 'token',
      expiresAt: Date.now() + 60_000,
      user,
      reason: 'login',
    });
  }

  end(reason: 'logout' | 'refresh_failed' | 'other_tab') {
    this.sessionStatus = 'anonymous';
    this.user = null;
    this.events.emit('tokenChanged', {
      accessToken: null,
      expiresAt: null,
      user: null,
      reason: 'logout',
    });
    this.events.emit('loggedOut', { reason });
  }

  clearSession = vi.fn(() => this.end('logout'));

  /** The API's answer to a logout; the client ends the session locally in any case. */
  logoutResult: Promise<void> = Promise.resolve();
  auth = {
    logout: vi.fn(async () => {
      try {
        await this.logoutResult;
      } finally {
        if (this.sessionStatus === 'authenticated') this.end('logout');
      }
    }),
    logoutAll: vi.fn(() => {
      if (this.sessionStatus === 'authenticated') this.end('logout');
      return Promise.resolve();
    }),
  };
}

const tokens = (user: User): SessionTokens => ({
  accessToken: 'token',
  expiresAt: Date.now() + 60_000,
  ttlMs: 60_000,
  user,
});

describe('AuthStore', () => {
  it('restores a session through the refresh cookie', async () => {
    const api = new FakeApi();
    api.refreshSession.mockImplementation(() => {
      api.login(ada);
      return Promise.resolve(tokens(ada));
    });
    const store = new AuthStore(api);
    expect(store.getSnapshot().status).toBe('restoring');
    await store.restore();
    expect(store.getSnapshot()).toMatchObject({ status: 'authenticated', user: ada });
  });

  it('asks once however many components restore at once', async () => {
    const api = new FakeApi();
    api.refreshSession.mockResolvedValue(tokens(ada));
    const store = new AuthStore(api);
    await Promise.all([store.restore(), store.restore()]);
    expect(api.refreshSession).toHaveBeenCalledTimes(1);
  });

  it('is anonymous without a session, with no error to show', async () => {
    const api = new FakeApi();
    api.refreshSession.mockImplementation(() => {
      api.sessionStatus = 'anonymous'; // what the client does after a 401
      return Promise.reject(ApiError.fromResponse(401, { code: 'unauthorized' }));
    });
    const store = new AuthStore(api);
    await store.restore();
    expect(store.getSnapshot()).toMatchObject({ status: 'anonymous', restoreError: null });
  });

  it('keeps the error when the API could not say, and can try again', async () => {
    const api = new FakeApi();
    const failure = new ApiError({ kind: 'network' });
    api.refreshSession.mockRejectedValueOnce(failure);
    const store = new AuthStore(api);
    await store.restore();
    expect(store.getSnapshot()).toMatchObject({ status: 'anonymous', restoreError: failure });

    api.refreshSession.mockImplementationOnce(() => {
      api.login(ada);
      return Promise.resolve(tokens(ada));
    });
    await store.restore();
    expect(store.getSnapshot()).toMatchObject({
      status: 'authenticated',
      user: ada,
      restoreError: null,
    });
  });

  it('follows logins and tells why a session ended', () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    const listener = vi.fn();
    store.subscribe(listener);

    api.login(ada);
    expect(store.getSnapshot()).toMatchObject({ status: 'authenticated', user: ada, ended: null });
    expect(listener).toHaveBeenCalled();

    api.end('other_tab');
    expect(store.getSnapshot()).toMatchObject({
      status: 'anonymous',
      user: null,
      ended: 'other_tab',
    });

    api.login(ada);
    api.end('refresh_failed');
    expect(store.getSnapshot().ended).toBe('expired');

    api.login(ada);
    expect(store.getSnapshot().ended).toBeNull();
  });

  it('ends a revoked session at once and says so', () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    api.login(ada);
    store.endRevoked();
    expect(api.clearSession).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toMatchObject({ status: 'anonymous', ended: 'revoked' });

    // The next logout is an ordinary one again.
    api.login(ada);
    api.end('logout');
    expect(store.getSnapshot().ended).toBe('logout');
  });

  it('calls a logout asked for here a logout, whatever ends the session first', async () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    api.login(ada);
    let answer!: () => void;
    api.logoutResult = new Promise<void>((resolve) => (answer = resolve));
    const done = store.logout();
    // While the request runs the server announces the revoked session, and the socket's 4401
    // makes the client's refresh fail.
    store.endRevoked();
    expect(api.clearSession).not.toHaveBeenCalled();
    api.end('refresh_failed');
    answer();
    await done;
    expect(store.getSnapshot()).toMatchObject({ status: 'anonymous', ended: 'logout' });
  });

  it('logs out everywhere through logoutAll', async () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    api.login(ada);
    await store.logout(true);
    expect(api.auth.logoutAll).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().ended).toBe('logout');
  });

  it('shows profile changes of the same user only', () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    api.login(ada);
    store.setUser({ ...ada, name: 'Ada L.' });
    expect(store.getSnapshot().user?.name).toBe('Ada L.');
    store.setUser({ ...ada, id: '00000000-0000-4000-8000-000000000000', name: 'Eve' });
    expect(store.getSnapshot().user?.name).toBe('Ada L.');
  });

  it('keeps the same snapshot while nothing changes (for useSyncExternalStore)', () => {
    const api = new FakeApi();
    const store = new AuthStore(api);
    api.login(ada);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    void store.restore(); // already authenticated: nothing to do
    expect(store.getSnapshot()).toBe(first);
  });
});
