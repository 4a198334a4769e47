import { contract, type OutboxMessage } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordService } from '../../src/core/crypto/password.service.js';
import { NO_RATE_LIMITS, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth, dev } = contract;
const ATTEMPT = /^Someone tried to register/;

/** What a client can tell from an answer: status, body and headers, less those that always differ. */
const visible = (reply: { status: number; text: string; headers: Headers }) => ({
  status: reply.status,
  text: reply.text,
  headers: [...reply.headers.keys()].filter((name) => !['date', 'x-request-id'].includes(name)),
});

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

  it('answers before the account work: the answer never waits for the password hash', async () => {
    const owner = await w.user();
    // Every password hash held until the answers are in: an answer that waited for the account
    // work (the hash, then the insert or the notice) would never come.
    const passwords = t.app.get(PasswordService);
    const hash = passwords.hash.bind(passwords);
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let hashing = 0;
    const spy = vi.spyOn(passwords, 'hash').mockImplementation(async (password) => {
      hashing++;
      await released;
      return hash(password);
    });
    const fresh = newCredentials();
    try {
      await w.expect('a new address', auth.register, 'success', { body: fresh });
      await w.expect('a registered address', auth.register, 'success', {
        body: { ...newCredentials(), email: owner.email },
      });
      // The control: the new account's work did start, and is waiting on its hash.
      await vi.waitFor(() => expect(hashing).toBeGreaterThanOrEqual(1));
      expect(await accounts(fresh.email)).toEqual([]);
    } finally {
      release();
      spy.mockRestore();
    }
    await w.mailed(fresh.email, /Confirm/);
    expect(await accounts(fresh.email)).toHaveLength(1);
  });
});
