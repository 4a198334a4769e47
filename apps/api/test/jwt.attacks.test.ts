import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mfaChallengeSchema, type ProblemCode, userSchema, WS_CLOSE } from '@repo/contracts';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLOCK_SKEW_S } from '../src/access/access-token.js';
import { envSchema } from '../src/core/config/env.schema.js';
import { bearer, get, login, post, registerVerified, type Session } from './support/auth-client.js';
import { enableTotp, expectProblem, NO_RATE_LIMITS, sql } from './support/auth-extras.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { connect, UpgradeRefused } from './support/ws-client.js';

// What the app signs with in tests: the dev defaults.
const {
  JWT_ACCESS_SECRET: SECRET,
  JWT_ISSUER: ISSUER,
  JWT_AUDIENCE: AUDIENCE,
} = envSchema.parse({});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT built by hand: any header, any payload, any signature. */
function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string = () => '',
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}

const hs256 = (key: string | Buffer) => (input: string) =>
  createHmac('sha256', key).update(input).digest('base64url');

const now = () => Math.floor(Date.now() / 1000);

interface Claims {
  sub: string;
  sid: string;
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  [claim: string]: unknown;
}

/** The claims the app puts in an access token of this session, valid for 10 minutes. */
function claimsOf(session: Session): Claims {
  const decoded = jwt.decode(session.accessToken) as { sub: string; sid: string };
  return {
    sub: decoded.sub,
    sid: decoded.sid,
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now(),
    exp: now() + 600,
  };
}

const signed = (claims: Record<string, unknown>, secret: jwt.Secret = SECRET) =>
  jwt.sign(claims, secret, { algorithm: 'HS256' });

/** Signed with the right secret and HS256, by hand: the claims exactly as given (no iat added). */
const rightlySigned = (claims: Record<string, unknown>) =>
  forge({ alg: 'HS256', typ: 'JWT' }, claims, hs256(SECRET));

/** The claims without one of them. */
const without = (claims: Claims, name: keyof Claims) => {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
};

/**
 * Tokens that break one rule of access tokens each, and the code HTTP answers them with. The
 * WebSocket refuses every one of them too: both ways in share the rules, and these cases hold
 * both to them.
 */
const REFUSED: [string, (claims: Claims) => string, ProblemCode][] = [
  ['without exp', (c) => rightlySigned(without(c, 'exp')), 'token_invalid'],
  ['with exp not a number', (c) => rightlySigned({ ...c, exp: String(c.exp) }), 'token_invalid'],
  ['expired', (c) => rightlySigned({ ...c, iat: now() - 1000, exp: now() - 60 }), 'token_expired'],
  ['without iat', (c) => rightlySigned(without(c, 'iat')), 'token_invalid'],
  [
    'with iat in the future, beyond the clock skew',
    (c) => rightlySigned({ ...c, iat: now() + CLOCK_SKEW_S + 60 }),
    'token_invalid',
  ],
  ['with iat not a number', (c) => rightlySigned({ ...c, iat: String(c.iat) }), 'token_invalid'],
  ['without sub', (c) => rightlySigned(without(c, 'sub')), 'token_invalid'],
  ['without sid', (c) => rightlySigned(without(c, 'sid')), 'token_invalid'],
  ['with sub not a string', (c) => rightlySigned({ ...c, sub: 42 }), 'token_invalid'],
  ['with sid not a string', (c) => rightlySigned({ ...c, sid: [c.sid] }), 'token_invalid'],
  ['with sid not a session id', (c) => rightlySigned({ ...c, sid: 'not-a-uuid' }), 'token_invalid'],
  ['with sub not a user id', (c) => rightlySigned({ ...c, sub: '' }), 'token_invalid'],
  ['with a wrong iss', (c) => rightlySigned({ ...c, iss: `${ISSUER}-evil` }), 'token_invalid'],
  ['without iss', (c) => rightlySigned(without(c, 'iss')), 'token_invalid'],
  ['with a wrong aud', (c) => rightlySigned({ ...c, aud: `${AUDIENCE}:mfa` }), 'token_invalid'],
  ['without aud', (c) => rightlySigned(without(c, 'aud')), 'token_invalid'],
  ['with alg none', (c) => forge({ alg: 'none', typ: 'JWT' }, c), 'token_invalid'],
  ['signed with HS512', (c) => jwt.sign(c, SECRET, { algorithm: 'HS512' }), 'token_invalid'],
  [
    'signed with RS256 by a key of the attacker',
    (c) => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return jwt.sign(c, privateKey, { algorithm: 'RS256' });
    },
    'token_invalid',
  ],
  [
    'signed with HS256 keyed by a public key PEM',
    (c) => {
      const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return forge({ alg: 'HS256', typ: 'JWT' }, c, hs256(pem));
    },
    'token_invalid',
  ],
];

describe('JWT attacks on GET /users/me', () => {
  let t: TestApp;

  const me = (token: string) => get(t, '/users/me', bearer(token));
  const newUser = async () => {
    const credentials = await registerVerified(t);
    const session = await login(t, credentials);
    return { credentials, session, id: session.body.user.id };
  };

  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  it('positive control: a token we sign with the right secret, iss, aud and a live sid passes', async () => {
    const alice = await newUser();
    const res = await me(signed(claimsOf(alice.session)));
    expect(res.status).toBe(200);
    expect(userSchema.parse(await res.json()).id).toBe(alice.id);
    // And the same holds for a hand-built one: the forging helpers are faithful.
    const handMade = forge({ alg: 'HS256', typ: 'JWT' }, claimsOf(alice.session), hs256(SECRET));
    expect((await me(handMade)).status).toBe(200);
  });

  it.each(['none', 'None', 'NONE'])(
    'refuses an unsigned token (alg: %s) with valid-looking claims',
    async (alg) => {
      const alice = await newUser();
      const token = forge({ alg, typ: 'JWT' }, claimsOf(alice.session));
      await expectProblem(await me(token), 401, 'token_invalid');
    },
  );

  it('refuses a valid token with its signature stripped and alg switched to none', async () => {
    const alice = await newUser();
    const [, payload] = alice.session.accessToken.split('.');
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses a token signed with another secret', async () => {
    const alice = await newUser();
    const token = signed(claimsOf(alice.session), 'some-other-secret-of-the-same-length-00000');
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses RS256: a token signed with an RSA key of the attacker', async () => {
    const alice = await newUser();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = jwt.sign(claimsOf(alice.session), privateKey, { algorithm: 'RS256' });
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe('RS256');
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses HS256 whose HMAC key is a public key PEM (algorithm confusion)', async () => {
    const alice = await newUser();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const key of [pem, pem.trim()]) {
      const token = forge({ alg: 'HS256', typ: 'JWT' }, claimsOf(alice.session), hs256(key));
      await expectProblem(await me(token), 401, 'token_invalid');
    }
  });

  it('refuses another HMAC algorithm, even with the right secret (HS256 only)', async () => {
    const alice = await newUser();
    const token = jwt.sign(claimsOf(alice.session), SECRET, { algorithm: 'HS512' });
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses an expired token with token_expired', async () => {
    const alice = await newUser();
    const token = signed({ ...claimsOf(alice.session), iat: now() - 1000, exp: now() - 60 });
    await expectProblem(await me(token), 401, 'token_expired');
  });

  it('refuses a token that is not valid yet (nbf in the future)', async () => {
    const alice = await newUser();
    const token = signed({ ...claimsOf(alice.session), nbf: now() + 600 });
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses a wrong issuer', async () => {
    const alice = await newUser();
    const token = signed({ ...claimsOf(alice.session), iss: `${ISSUER}-evil` });
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses a missing issuer', async () => {
    const alice = await newUser();
    const { iss: _iss, ...claims } = claimsOf(alice.session);
    await expectProblem(await me(signed(claims)), 401, 'token_invalid');
  });

  it('refuses a wrong audience', async () => {
    const alice = await newUser();
    const token = signed({ ...claimsOf(alice.session), aud: 'some-other-app' });
    await expectProblem(await me(token), 401, 'token_invalid');
  });

  it('refuses a correctly signed token without a session id, or with another user’s', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const { sid: _sid, ...noSid } = claimsOf(alice.session);
    await expectProblem(await me(signed(noSid)), 401, 'token_invalid');
    // Alice's sub with Bob's live session: the session must be the user's own.
    const mixed = { ...claimsOf(alice.session), sid: claimsOf(bob.session).sid };
    await expectProblem(await me(signed(mixed)), 401, 'token_invalid');
  });

  it('refuses a tampered payload (sub changed, signature kept)', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const [header, payload, signature] = alice.session.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Claims;
    expect(claims.sub).toBe(alice.id);
    // The original is accepted first: a token verified before must not vouch for a copy of it.
    expect((await me(alice.session.accessToken)).status).toBe(200);
    const tampered = `${header}.${b64url({ ...claims, sub: bob.id })}.${signature}`;
    await expectProblem(await me(tampered), 401, 'token_invalid');
    // The original still works: it is the tampering that fails.
    expect((await me(alice.session.accessToken)).status).toBe(200);
  });

  it('refuses a valid token of a session that was logged out', async () => {
    const { session } = await newUser();
    expect((await me(session.accessToken)).status).toBe(200);
    const logout = await post(t, '/auth/logout', {}, { cookie: session.cookie });
    expect(logout.status).toBe(204);
    await expectProblem(await me(session.accessToken), 401, 'token_invalid');
    // Also when re-signed by us with fresh times: the session itself is dead.
    await expectProblem(await me(signed(claimsOf(session))), 401, 'token_invalid');
  });

  it('refuses a valid token of a session past its expiry', async () => {
    const { session } = await newUser();
    const { sid } = claimsOf(session);
    await sql(t, `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      sid,
    ]);
    await expectProblem(await me(session.accessToken), 401, 'token_invalid');
  });

  it('refuses a valid token of a deleted user', async () => {
    const { session, id } = await newUser();
    expect((await me(session.accessToken)).status).toBe(200);
    const deleted = await sql(t, 'DELETE FROM users WHERE id = $1 RETURNING id', [id]);
    expect(deleted).toHaveLength(1);
    await expectProblem(await me(session.accessToken), 401, 'token_invalid');
  });

  it('refuses the MFA challenge token as an access token', async () => {
    const { credentials, session } = await newUser();
    await enableTotp(t, session.accessToken);
    const res = await post(t, '/auth/login', {
      email: credentials.email,
      password: credentials.password,
    });
    expect(res.status).toBe(200);
    const { mfaToken } = mfaChallengeSchema.parse(await res.json());
    // It is signed with the same secret and issuer: only its audience and claims tell it apart.
    const decoded = jwt.verify(mfaToken, SECRET, { algorithms: ['HS256'], issuer: ISSUER });
    expect(decoded).toMatchObject({ sub: session.body.user.id });
    await expectProblem(await me(mfaToken), 401, 'token_invalid');
  });

  it('refuses tokens that are not JWTs, and a missing or non-Bearer header', async () => {
    const alice = await newUser();
    for (const token of ['', 'abc', 'a.b.c', `${alice.session.accessToken}x`]) {
      const res = await me(token);
      expect(res.status).toBe(401);
    }
    await expectProblem(await get(t, '/users/me'), 401, 'unauthorized');
    const basic = await get(t, '/users/me', {
      authorization: `Basic ${alice.session.accessToken}`,
    });
    expect(basic.status).toBe(401);
  });

  describe('the rules of access tokens, on HTTP and on the WebSocket alike', () => {
    /** What a socket that authenticates with an `auth` frame gets: `ready`, or its close. */
    async function authFrame(token: string): Promise<'ready' | { code: number; reason: string }> {
      const client = await connect(t);
      client.send({ type: 'auth', token });
      const outcome = await new Promise<'ready' | { code: number; reason: string }>((resolve) => {
        void client.closed.then(resolve);
        client.socket.on('message', () => {
          if (client.messages.some((m) => m.type === 'ready')) resolve('ready');
        });
      });
      client.socket.close();
      return outcome;
    }

    /** What an upgrade with the token in its Authorization header gets: open, or the HTTP status. */
    async function upgrade(token: string): Promise<'open' | number> {
      try {
        const client = await connect(t, { headers: bearer(token) });
        client.socket.close();
        return 'open';
      } catch (error) {
        if (error instanceof UpgradeRefused) return error.status;
        throw error;
      }
    }

    const INVALID_TOKEN = { code: WS_CLOSE.unauthenticated, reason: 'Invalid token' };

    it('positive control: valid claims pass everywhere, an iat within the clock skew too', async () => {
      const alice = await newUser();
      const valid = claimsOf(alice.session);
      const early = { ...valid, iat: now() + CLOCK_SKEW_S - 1 };
      for (const claims of [valid, early]) {
        const token = rightlySigned(claims);
        expect((await me(token)).status).toBe(200);
        expect(await authFrame(token)).toBe('ready');
        expect(await upgrade(token)).toBe('open');
      }
    });

    it.each(REFUSED)('refuses a token %s', async (_, tokenOf, code) => {
      const alice = await newUser();
      const token = tokenOf(claimsOf(alice.session));
      await expectProblem(await me(token), 401, code);
      expect(await authFrame(token)).toEqual(INVALID_TOKEN);
      expect(await upgrade(token)).toBe(401);
    });

    it('refuses a token accepted before once its exp has passed, on the WebSocket too', async () => {
      const alice = await newUser();
      // Valid for a few seconds, and accepted on both ways in first: each process remembers the
      // tokens it has verified (VerifiedAccessTokens), never past their exp.
      const exp = now() + 5;
      const token = rightlySigned({ ...claimsOf(alice.session), exp });
      expect((await me(token)).status).toBe(200);
      expect(await authFrame(token)).toBe('ready');
      await vi.waitUntil(() => Date.now() >= exp * 1000, { timeout: 10_000, interval: 50 });
      await expectProblem(await me(token), 401, 'token_expired');
      expect(await authFrame(token)).toEqual(INVALID_TOKEN);
      expect(await upgrade(token)).toBe(401);
    });

    it('refuses a token of a session that was logged out, on the WebSocket too', async () => {
      const { session } = await newUser();
      const token = rightlySigned(claimsOf(session));
      expect(await authFrame(token)).toBe('ready');
      const logout = await post(t, '/auth/logout', {}, { cookie: session.cookie });
      expect(logout.status).toBe(204);
      await expectProblem(await me(token), 401, 'token_invalid');
      expect(await authFrame(token)).toEqual(INVALID_TOKEN);
      expect(await upgrade(token)).toBe(401);
    });
  });
});
