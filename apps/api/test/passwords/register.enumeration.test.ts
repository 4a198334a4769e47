import { contract, type OutboxMessage } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth, dev } = contract;
const ATTEMPT = /^Someone tried to register/;
const ROUNDS = 20;

/** What a client can tell from an answer: status, body and headers, less those that always differ. */
const visible = (reply: { status: number; text: string; headers: Headers }) => ({
  status: reply.status,
  text: reply.text,
  headers: [...reply.headers.keys()].filter((name) => !['date', 'x-request-id'].includes(name)),
});

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('registration answers alike for a new and a registered address (ASVS 6.3.8)', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t.close());

  const outbox = async (to: string) =>
    (
      await w.expect('dev outbox', dev.outbox, 'success', { query: { to } })
    ).json() as OutboxMessage[];
  const accounts = async (email: string) =>
    sql<{ name: string }>(t, 'SELECT name FROM users WHERE email = $1', [email]);

  it('the same answer; the owner of the address is told by email, and nothing else changes', async () => {
    const owner = await w.user();
    const fresh = newCredentials();
    const again = {
      email: owner.email.toUpperCase(),
      password: 'a passphrase of my own',
      name: 'Mallory',
    };

    const [forNew, forTaken] = [
      await w.expect('a new address', auth.register, 'success', { body: fresh }),
      await w.expect('a registered address', auth.register, 'success', { body: again }),
    ];
    expect(visible(forTaken)).toEqual(visible(forNew));
    expect(forNew.text).toBe('');

    // The new address gets its verification link...
    expect((await w.mailed(fresh.email, /Confirm/)).link).toMatch(/\/verify-email\?token=/);
    // ...the registered one a notice, with the ways in, and no token.
    const notice = await w.mailed(owner.email, ATTEMPT);
    expect(notice.link).toBe('http://localhost:3000/login');
    expect(notice.text).toContain('http://localhost:3000/forgot-password');
    expect(notice.text).toContain(`Hello ${owner.name},`);
    expect(notice.text).not.toContain('Mallory');
    expect((await outbox(owner.email)).map((m) => m.subject)).toEqual([
      'Someone tried to register with your email address',
      'Confirm your email address',
    ]);

    // The account is as it was: its name, and its password.
    expect(await accounts(owner.email)).toEqual([{ name: owner.name }]);
    await w.login(owner);
    await w.expect('the other password', auth.login, [401, 'invalid_credentials'], {
      body: { email: owner.email, password: again.password },
    });
  });

  it('an unconfirmed address is told too, and keeps its one verification link', async () => {
    const pending = await w.unverifiedUser();
    await w.expect('again', auth.register, 'success', { body: { ...pending } });
    await w.mailed(pending.email, ATTEMPT);
    expect((await outbox(pending.email)).map((m) => m.subject).sort()).toEqual([
      'Confirm your email address',
      'Someone tried to register with your email address',
    ]);
    expect(await accounts(pending.email)).toHaveLength(1);
  });

  it('takes as long either way: the account work happens after the answer', async () => {
    const owner = await w.user();
    const took = { fresh: [] as number[], taken: [] as number[] };
    // Interleaved, so a change in the machine's load weighs on both alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['fresh', 'taken'] as const) {
        const credentials =
          kind === 'fresh' ? newCredentials() : { ...newCredentials(), email: owner.email };
        const started = performance.now();
        await w.expect(kind, auth.register, 'success', { body: credentials });
        took[kind].push(performance.now() - started);
        // The next request starts once this one's work is done, so none waits behind another's hash.
        await w.mailed(
          credentials.email,
          kind === 'fresh' ? /Confirm/ : ATTEMPT,
          kind === 'fresh' ? 1 : round + 1,
        );
      }
    }
    const [fresh, taken] = [median(took.fresh), median(took.taken)];
    // Creating an account (an argon2id hash of 19 MiB and 2 passes, then an insert) takes over
    // 10 ms even on a fast machine: an answer that waited for it would stand out.
    expect(
      Math.abs(fresh - taken),
      `medians: new ${fresh} ms, registered ${taken} ms`,
    ).toBeLessThan(8);
  });
});
