import { createHash } from 'node:crypto';
import {
  type ApiKey,
  type ApiKeyScope,
  apiKeyListSchema,
  apiKeySchema,
  createdApiKeySchema,
  userSchema,
} from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, get, login, post, registerVerified } from './support/auth-client.js';
import { expectProblem, NO_RATE_LIMITS, send, sql } from './support/auth-extras.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const apiKey = (secret: string) => ({ 'x-api-key': secret });

describe('API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  const newUser = async () => {
    const session = await login(t, await registerVerified(t));
    return { accessToken: session.accessToken, id: session.body.user.id };
  };

  const createKey = async (
    accessToken: string,
    body: { name: string; scopes?: ApiKeyScope[]; expiresInDays?: number },
  ) => {
    const res = await post(t, '/api-keys', body, bearer(accessToken));
    expect(res.status).toBe(201);
    return createdApiKeySchema.parse(await res.json());
  };

  const listKeys = async (accessToken: string) => {
    const res = await get(t, '/api-keys', bearer(accessToken));
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, keys: apiKeyListSchema.parse(JSON.parse(text)) };
  };

  const rename = (headers: Record<string, string>, name: string) =>
    send(t, 'PATCH', '/users/me', { name }, headers);

  it('create → use → scopes → access-token-only routes → revoke → rejected', async () => {
    const user = await newUser();

    // Create: 201, the whole secret shown this once, starting with the visible prefix.
    const created = await createKey(user.accessToken, { name: 'CI deploy', scopes: ['read'] });
    expect(created.apiKey).toMatchObject({
      name: 'CI deploy',
      scopes: ['read'],
      lastUsedAt: null,
      expiresAt: null,
    });
    expect(created.apiKey.prefix).toMatch(/^sk_/);
    expect(created.secret.startsWith(`${created.apiKey.prefix}_`)).toBe(true);
    expect(created.secret.length).toBeGreaterThan(created.apiKey.prefix.length + 16);

    // The list never shows the secret, nor its hash, nor any field beyond the contract's.
    const { text, keys } = await listKeys(user.accessToken);
    expect(keys.map((k) => k.id)).toEqual([created.apiKey.id]);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain(created.secret.slice(created.apiKey.prefix.length + 1));
    expect(text).not.toContain(sha256(created.secret));
    expect(Object.keys((JSON.parse(text) as object[])[0]!).sort()).toEqual(
      Object.keys(apiKeySchema.shape).sort(),
    );

    // Use: X-API-Key on GET /users/me answers for the same user.
    const me = await get(t, '/users/me', apiKey(created.secret));
    expect(me.status).toBe(200);
    expect(userSchema.parse(await me.json()).id).toBe(user.id);

    // Scopes: a read-only key may not write; a write key may.
    await expectProblem(
      await rename(apiKey(created.secret), 'Read Only'),
      403,
      'insufficient_scope',
    );
    const writer = await createKey(user.accessToken, { name: 'writer', scopes: ['write'] });
    const renamed = await rename(apiKey(writer.secret), 'Written By Key');
    expect(renamed.status).toBe(200);
    expect(userSchema.parse(await renamed.json())).toMatchObject({
      id: user.id,
      name: 'Written By Key',
    });

    // Routes that take access tokens only refuse even a write key.
    for (const secret of [created.secret, writer.secret]) {
      await expectProblem(await get(t, '/auth/sessions', apiKey(secret)), 401, 'api_key_invalid');
      await expectProblem(
        await post(t, '/api-keys', { name: 'minted by a key' }, apiKey(secret)),
        401,
        'api_key_invalid',
      );
      await expectProblem(await get(t, '/api-keys', apiKey(secret)), 401, 'api_key_invalid');
      await expectProblem(
        await send(t, 'DELETE', `/api-keys/${writer.apiKey.id}`, undefined, apiKey(secret)),
        401,
        'api_key_invalid',
      );
    }
    // None of the refused calls minted a key.
    expect((await listKeys(user.accessToken)).keys).toHaveLength(2);

    // Revoke: 204; the key stops working and leaves the list.
    const revoked = await send(
      t,
      'DELETE',
      `/api-keys/${created.apiKey.id}`,
      undefined,
      bearer(user.accessToken),
    );
    expect(revoked.status).toBe(204);
    await expectProblem(await get(t, '/users/me', apiKey(created.secret)), 401, 'api_key_invalid');
    expect((await listKeys(user.accessToken)).keys.map((k) => k.id)).toEqual([writer.apiKey.id]);
    const [row] = await sql<{ revoked_at: Date | null }>(
      t,
      'SELECT revoked_at FROM api_keys WHERE id = $1',
      [created.apiKey.id],
    );
    expect(row!.revoked_at).toBeInstanceOf(Date);
    // The other key is untouched.
    expect((await get(t, '/users/me', apiKey(writer.secret))).status).toBe(200);

    // Revoking it again: there is no such active key.
    await expectProblem(
      await send(
        t,
        'DELETE',
        `/api-keys/${created.apiKey.id}`,
        undefined,
        bearer(user.accessToken),
      ),
      404,
      'not_found',
    );
  });

  it('stores only a hash of the key', async () => {
    const user = await newUser();
    const { apiKey: key, secret } = await createKey(user.accessToken, { name: 'stored' });
    const [row] = await sql(t, 'SELECT * FROM api_keys WHERE id = $1', [key.id]);
    expect(row).toMatchObject({ user_id: user.id, prefix: key.prefix, scopes: ['read'] });
    expect(row!.secret_hash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(key.prefix.length + 1));
  });

  it('rejects an expired key', async () => {
    const user = await newUser();
    const before = Date.now();
    const { apiKey: key, secret } = await createKey(user.accessToken, {
      name: 'short-lived',
      expiresInDays: 1,
    });
    const expiresAt = new Date(key.expiresAt!).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 86_400_000 + 1000);
    expect((await get(t, '/users/me', apiKey(secret))).status).toBe(200);

    await sql(t, `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      key.id,
    ]);
    await expectProblem(await get(t, '/users/me', apiKey(secret)), 401, 'api_key_invalid');
    // An expired key is no longer active: it leaves the list.
    const list = (await (await get(t, '/api-keys', bearer(user.accessToken))).json()) as ApiKey[];
    expect(list.map((k) => k.id)).not.toContain(key.id);
  });

  it('rejects wrong and malformed keys', async () => {
    const user = await newUser();
    const { apiKey: key, secret } = await createKey(user.accessToken, {
      name: 'real',
      scopes: ['read', 'write'],
    });
    expect((await get(t, '/users/me', apiKey(secret))).status).toBe(200);

    const lastChar = secret.at(-1) === 'A' ? 'B' : 'A';
    const wrong = [
      // The right prefix with a wrong secret part.
      `${secret.slice(0, -1)}${lastChar}`,
      `${key.prefix}_${'x'.repeat(32)}`,
      // A well-formed key nobody was given.
      `sk_${'a'.repeat(8)}_${'b'.repeat(32)}`,
      // Malformed: truncated, extended, wrong shape, another kind of token.
      secret.slice(0, -1),
      `${secret}x`,
      `Bearer ${secret}`,
      secret.toUpperCase(),
      'not-an-api-key',
      user.accessToken,
    ];
    for (const presented of wrong) {
      const res = await get(t, '/users/me', apiKey(presented));
      await expectProblem(res, 401, 'api_key_invalid');
    }
    // Sent as a bearer token, an API key is no access token either.
    await expectProblem(await get(t, '/users/me', bearer(secret)), 401, 'token_invalid');
  });

  it('without a key, or with an empty X-API-Key, asks for credentials (the key strategy fails)', async () => {
    await expectProblem(await get(t, '/users/me'), 401, 'unauthorized');
    await expectProblem(await get(t, '/users/me', apiKey('')), 401, 'unauthorized');
    // A failed key check leaves the access token's answer standing, on a route that takes both.
    const user = await newUser();
    const both = { ...bearer(user.accessToken), ...apiKey('not-an-api-key') };
    expect((await get(t, '/users/me', both)).status).toBe(200);
    await expectProblem(
      await get(t, '/users/me', { ...bearer(`${user.accessToken}x`), ...apiKey('') }),
      401,
      'token_invalid',
    );
  });

  it('answers a database failure during the key check with an error, not as a refused key', async () => {
    const user = await newUser();
    const { secret } = await createKey(user.accessToken, { name: 'while the table is away' });
    await sql(t, 'ALTER TABLE api_keys RENAME TO api_keys_away');
    try {
      await expectProblem(await get(t, '/users/me', apiKey(secret)), 500, 'internal_error');
    } finally {
      await sql(t, 'ALTER TABLE api_keys_away RENAME TO api_keys');
    }
    expect((await get(t, '/users/me', apiKey(secret))).status).toBe(200);
  });

  it('cannot revoke another user’s key (404), which keeps working', async () => {
    const owner = await newUser();
    const other = await newUser();
    const { apiKey: key, secret } = await createKey(owner.accessToken, { name: 'mine' });

    await expectProblem(
      await send(t, 'DELETE', `/api-keys/${key.id}`, undefined, bearer(other.accessToken)),
      404,
      'not_found',
    );
    expect((await listKeys(other.accessToken)).keys).toEqual([]);
    expect((await listKeys(owner.accessToken)).keys.map((k) => k.id)).toEqual([key.id]);
    const me = await get(t, '/users/me', apiKey(secret));
    expect(me.status).toBe(200);
    expect(userSchema.parse(await me.json()).id).toBe(owner.id);

    await expectProblem(
      await send(
        t,
        'DELETE',
        '/api-keys/00000000-0000-4000-8000-000000000000',
        undefined,
        bearer(owner.accessToken),
      ),
      404,
      'not_found',
    );
  });

  it('sets last_used_at on use', async () => {
    const user = await newUser();
    const { apiKey: key, secret } = await createKey(user.accessToken, { name: 'tracked' });
    const lastUsed = async () =>
      (
        await sql<{ last_used_at: Date | null }>(
          t,
          'SELECT last_used_at FROM api_keys WHERE id = $1',
          [key.id],
        )
      )[0]!.last_used_at;
    expect(await lastUsed()).toBeNull();

    const before = Date.now();
    expect((await get(t, '/users/me', apiKey(secret))).status).toBe(200);
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expect(first!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(first!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const listed = (await listKeys(user.accessToken)).keys.find((k) => k.id === key.id);
    expect(listed?.lastUsedAt).toBe(first!.toISOString());

    // A wrong key touches nothing.
    await sql(t, `UPDATE api_keys SET last_used_at = now() - interval '1 hour' WHERE id = $1`, [
      key.id,
    ]);
    const aged = await lastUsed();
    await get(t, '/users/me', apiKey(`${secret.slice(0, -1)}${secret.at(-1) === 'A' ? 'B' : 'A'}`));
    expect(await lastUsed()).toEqual(aged);
    // A use after a while moves it forward again.
    expect((await get(t, '/users/me', apiKey(secret))).status).toBe(200);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(aged!.getTime() + 3_000_000);
  });
});
