import { newCredentials } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerVerified } from '../support/auth-client.js';
import { expectProblem, NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { askForCode, requestCode, requestDone, tokensOf, verifyCode } from './email-code.client.js';
import { otherCode } from './mailed-code.js';

const invalid = (res: Response) => expectProblem(res, 400, 'invalid_code');

describe('email codes: single use, expiry, tries, replacement, races, storage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterAll(() => t.close());

  it('works once', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    await tokensOf(await verifyCode(t, { email, code }));
    await invalid(await verifyCode(t, { email, code }));
  });

  it('expires after 10 minutes (the row’s clock moved, not waited for)', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const [row] = await sql<{ minutes: number }>(
      t,
      `SELECT round(extract(epoch FROM expires_at - created_at) / 60)::int AS minutes
         FROM email_codes WHERE email = $1`,
      [email],
    );
    expect(row!.minutes).toBe(10);
    await sql(
      t,
      `UPDATE email_codes SET expires_at = now() - interval '1 second' WHERE email = $1`,
      [email],
    );
    await invalid(await verifyCode(t, { email, code }));
  });

  it('dies after 5 wrong tries, even for the right code; 4 wrong tries leave it working', async () => {
    const first = await registerVerified(t);
    const one = await askForCode(t, first.email);
    for (let i = 0; i < 4; i++) {
      await invalid(await verifyCode(t, { email: first.email, code: otherCode(one.code) }));
    }
    await tokensOf(await verifyCode(t, { email: first.email, code: one.code }));

    const second = await registerVerified(t);
    const two = await askForCode(t, second.email);
    for (let i = 0; i < 5; i++) {
      await invalid(await verifyCode(t, { email: second.email, code: otherCode(two.code) }));
    }
    await invalid(await verifyCode(t, { email: second.email, code: two.code }));
  });

  it('a new request replaces the old code: only the latest works', async () => {
    const { email } = await registerVerified(t);
    const old = await askForCode(t, email);
    const latest = await askForCode(t, email, undefined, 2);
    // Two draws of a million can match (one in a million): then there is nothing to tell apart.
    expect(latest.code).not.toBe(old.code);
    await invalid(await verifyCode(t, { email, code: old.code }));
    await tokensOf(await verifyCode(t, { email, code: latest.code }));
    expect(await sql(t, 'SELECT 1 FROM email_codes WHERE email = $1', [email])).toHaveLength(1);
  });

  it('one code verified by 10 requests at once signs in exactly once', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => verifyCode(t, { email, code })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array<number>(9).fill(400)]);
    const [sessions] = await sql<{ n: number }>(
      t,
      'SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1',
      [email],
    );
    // registerVerified made none; the one winner made one.
    expect(sessions!.n).toBe(1);
  });

  it('one sign-up code verified twice at once makes one account', async () => {
    const { email, name } = newCredentials();
    const { code } = await askForCode(t, email, name);
    const replies = await Promise.all([
      verifyCode(t, { email, code }),
      verifyCode(t, { email, code }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(await sql(t, 'SELECT 1 FROM users WHERE email = $1', [email])).toHaveLength(1);
  });

  it('stores only a keyed hash of the code, never the code', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const [row] = await sql<Record<string, unknown>>(
      t,
      'SELECT * FROM email_codes WHERE email = $1',
      [email],
    );
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    // Not a plain SHA-256 of the code, which a dump would reverse in a million tries.
    const [plain] = await sql<{ h: string }>(t, `SELECT encode(sha256($1::bytea), 'hex') AS h`, [
      code,
    ]);
    expect(row!.code_hash).not.toBe(plain!.h);
  });

  it('refuses a wrong code and an unknown address with the same answer', async () => {
    const { email } = await registerVerified(t);
    const { code } = await askForCode(t, email);
    const unknown = newCredentials().email;
    await requestCode(t, { email: unknown });
    await requestDone(t, unknown);
    const wrong = await invalid(await verifyCode(t, { email, code: otherCode(code) }));
    const nobody = await invalid(await verifyCode(t, { email: unknown, code }));
    const neverAsked = await invalid(await verifyCode(t, { email: newCredentials().email, code }));
    for (const problem of [nobody, neverAsked]) {
      expect({ ...problem, requestId: '', timestamp: '', instance: '' }).toEqual({
        ...wrong,
        requestId: '',
        timestamp: '',
        instance: '',
      });
    }
  });
});

describe('email-code rate limits', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const expectRateLimited = async (res: Response) => {
    await expectProblem(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it.each([
    ['request', (email: string) => requestCode(t!, { email }), 202],
    ['verify', (email: string) => verifyCode(t!, { email, code: '123456' }), 400],
  ] as const)(
    '%s: per IP, whatever the address (RATE_LIMIT_AUTH_PER_IP=3)',
    async (_, send, ok) => {
      t = await startTestApp({ env: { ...NO_RATE_LIMITS, RATE_LIMIT_AUTH_PER_IP: '3' } });
      for (let i = 0; i < 3; i++) expect((await send(newCredentials().email)).status).toBe(ok);
      await expectRateLimited(await send(newCredentials().email));
    },
  );

  it.each([
    [
      'request',
      (email: string, ip: string) => requestCode(t!, { email }, { 'x-forwarded-for': ip }),
      202,
    ],
    [
      'verify',
      (email: string, ip: string) =>
        verifyCode(t!, { email, code: '123456' }, { 'x-forwarded-for': ip }),
      400,
    ],
  ] as const)(
    '%s: per address, whatever the IP (RATE_LIMIT_EMAIL_CODE_PER_EMAIL=3)',
    async (_, send, ok) => {
      t = await startTestApp({
        env: { ...NO_RATE_LIMITS, RATE_LIMIT_EMAIL_CODE_PER_EMAIL: '3', TRUST_PROXY: 'true' },
      });
      const { email } = newCredentials();
      for (let i = 1; i <= 3; i++) expect((await send(email, `203.0.113.${i}`)).status).toBe(ok);
      // A fourth address, the same mailbox in other letters: refused.
      await expectRateLimited(await send(email.toUpperCase(), '203.0.113.4'));
      // Another mailbox from that address is not held to it.
      expect((await send(newCredentials().email, '203.0.113.4')).status).toBe(ok);
    },
  );
});
