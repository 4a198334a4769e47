import { WS_CLOSE } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_ORIGIN, bearer, login, post, registerVerified } from './support/auth-client.js';
import { NO_RATE_LIMITS } from './support/auth-extras.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect, UpgradeRefused } from './support/ws-client.js';

describe('WebSocket handshake and authentication', () => {
  let t: TestApp;
  let accessToken: string;
  let userId: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...NO_RATE_LIMITS, WS_AUTH_TIMEOUT_MS: '300' } });
    const session = await login(t, await registerVerified(t));
    accessToken = session.accessToken;
    userId = session.body.user.id;
  });
  afterAll(() => t.close());

  it.each(['http://evil.example', 'null', 'http://localhost:3001', 'https://localhost:3000'])(
    'refuses an upgrade from the foreign Origin %s with 403',
    async (origin) => {
      await expect(connect(t, { headers: { origin } })).rejects.toEqual(new UpgradeRefused(403));
    },
  );

  it('accepts the allowed Origin, and clients that send none (servers)', async () => {
    for (const headers of [{ origin: BROWSER_ORIGIN }, {}] as Record<string, string>[]) {
      const client = await connect(t, { headers });
      client.send({ type: 'auth', token: accessToken });
      expect(await client.next('ready')).toMatchObject({
        type: 'ready',
        userId,
        heartbeatMs: 25_000,
      });
      client.socket.close();
    }
  });

  it('closes with 4401 when no auth message comes in time', async () => {
    const client = await connect(t, { headers: { origin: BROWSER_ORIGIN } });
    expect((await client.closed).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('closes with 4401 on a bad token', async () => {
    const client = await connect(t);
    client.send({ type: 'auth', token: `${accessToken}x` });
    expect((await client.closed).code).toBe(WS_CLOSE.unauthenticated);
  });

  it('refuses other messages before authentication, without closing', async () => {
    const client = await connect(t);
    client.send({ type: 'subscribe', topics: ['broadcast'], id: 's1' });
    expect(await client.next('error')).toMatchObject({ code: 'unauthenticated' });
    client.send({ type: 'ping', id: 'p1' });
    expect(await client.next('pong')).toEqual({ type: 'pong', id: 'p1' });
    client.socket.close();
  });

  it('takes an access token in the Authorization header of the upgrade', async () => {
    const client = await connect(t, { headers: bearer(accessToken) });
    expect(await client.next('ready')).toMatchObject({ userId });
    client.socket.close();
  });

  it('takes an API key in the X-API-Key header of the upgrade', async () => {
    const created = await post(
      t,
      '/api-keys',
      { name: 'ws', scopes: ['read'] },
      bearer(accessToken),
    );
    const { secret } = (await created.json()) as { secret: string };
    const client = await connect(t, { headers: { 'x-api-key': secret } });
    expect(await client.next('ready')).toMatchObject({ userId });
    client.socket.close();
  });

  it('refuses the upgrade (401) when header credentials are invalid', async () => {
    await expect(connect(t, { headers: bearer('not-a-token') })).rejects.toEqual(
      new UpgradeRefused(401),
    );
    await expect(connect(t, { headers: { 'x-api-key': 'sk_nope' } })).rejects.toEqual(
      new UpgradeRefused(401),
    );
  });
});
