import { contract, type OutboxMessage } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMMON_PASSWORD_COUNT,
  commonForm,
  loadCommonPasswords,
} from '../../src/passwords/common-passwords.js';
import { isSimilarToPersonalInfo } from '../../src/passwords/similar-password.js';
import { passwordlessUser } from '../email-code/mailed-code.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth, password, dev } = contract;

/** Ranks 99,389, 99,423 and 99,462 of the list (first seen there in any letter case). */
const RANKED_NEAR_100_000 = ['1302alex1994', '123qwerty456', '123456654321a'];

describe('the most common passwords', () => {
  const common = loadCommonPasswords();

  it(`holds the ${COMMON_PASSWORD_COUNT.toLocaleString('en')} most common, down to the last of them`, () => {
    // The list ranks case variants apart ("Password", "password"); compared in lower case.
    expect(common.size).toBeGreaterThan(95_000);
    expect(common.size).toBeLessThanOrEqual(COMMON_PASSWORD_COUNT);
    for (const top of ['123456', 'password', 'qwertyuiop', '1q2w3e4r5t', 'iloveyou']) {
      expect(common.has(top), top).toBe(true);
    }
    // Near rank 100,000 of the list, and long enough to pass the contract's 10 characters.
    for (const rare of RANKED_NEAR_100_000) expect(common.has(rare), rare).toBe(true);
  });

  it('takes the top of the list only', () => {
    const top = loadCommonPasswords(1_000);
    expect(top.has('password')).toBe(true);
    for (const rare of RANKED_NEAR_100_000) expect(top.has(rare), rare).toBe(false);
  });

  it('compares in lower case and without spaces', () => {
    for (const typed of ['QwertyUIOP', 'qwerty uiop', ' Password123 ']) {
      expect(common.has(commonForm(typed)), typed).toBe(true);
    }
    expect(common.has(commonForm('correct horse battery staple'))).toBe(false);
  });
});

describe('passwords made from the email or the name', () => {
  const ada = { email: 'ada.lovelace@example.com', name: 'Ada Lovelace' };
  const ann = { email: 'ann@example.com', name: 'Ann Lee' };

  it.each([
    // The whole local part or the whole name, in any case, spacing or punctuation.
    [ada, 'ada.lovelace@example.com'],
    [ada, 'AdaLovelace2024'],
    [ada, 'ADA LOVELACE!!'],
    [ada, 'my name is ada lovelace'],
    // Their words and digits, nothing else of substance.
    [ada, 'Lovelace1815!'],
    [ada, '1815-lovelace-ada'],
    [ada, 'lovelace lovelace'],
    [ann, 'Ann Lee 19700101'],
    // Look-alike digits for letters.
    [ada, 'L0v3l4c3 1815'],
    [ada, '@d4 L0v3l4c3'],
    // Accents do not hide a name.
    [{ email: 'zoe@example.com', name: 'Zoë Ångström' }, 'zoeangstrom99'],
  ])('refuses %o with %s', (info, typed) => {
    expect(isSimilarToPersonalInfo(typed, info)).toBe(true);
  });

  it.each([
    [ada, 'correct horse battery staple'],
    [ada, 'analytical engine notes'],
    // A word of the name among enough other words is a passphrase, not the name.
    [ada, 'lovelace wrote the first program'],
    // A short local part or name (under 4 letters) is not looked for inside other words.
    [ann, 'planning a banner ahead'],
    // Digits alone are no personal information (common passwords are another rule).
    [ada, '1234567890'],
  ])('accepts %o with %s', (info, typed) => {
    expect(isSimilarToPersonalInfo(typed, info)).toBe(false);
  });
});

describe('every place a password is set applies the rules', () => {
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

  it('registration: refused before anything is stored or mailed', async () => {
    const credentials = { ...newCredentials(), name: 'Grace Hopper' };
    await w.expect('a common one', auth.register, [400, 'password_too_common'], {
      body: { ...credentials, password: 'Qwerty UIOP' },
    });
    await w.expect('the name', auth.register, [400, 'password_too_similar'], {
      body: { ...credentials, password: 'Grace Hopper 1906' },
    });
    const localPart = credentials.email.split('@')[0]!;
    await w.expect('the email', auth.register, [400, 'password_too_similar'], {
      body: { ...credentials, password: `${localPart}!` },
    });
    // Then a good one: its verification email is the only email to the address.
    await w.expect('a good one', auth.register, 'success', { body: credentials });
    await w.mailed(credentials.email, /Confirm/);
    expect((await outbox(credentials.email)).map((m) => m.subject)).toEqual([
      'Confirm your email address',
    ]);
  });

  it('change-password: refused, and the old password still works', async () => {
    const user = await w.user();
    for (const [newPassword, code] of [
      ['password1234', 'password_too_common'],
      [`${user.email.split('@')[0]!.toUpperCase()}`, 'password_too_similar'],
      ['Test User 2026', 'password_too_similar'],
    ] as const) {
      await w.expect(newPassword, auth.changePassword, [400, code], {
        as: user,
        body: { currentPassword: user.password, newPassword },
      });
    }
    await w.login(user);
  });

  it('reset-password: refused, and the link still works for a good one', async () => {
    const user = await w.user();
    await w.expect('request a reset', auth.requestPasswordReset, 'success', {
      body: { email: user.email },
    });
    const token = await w.mailedToken(user.email, /Reset/);
    await w.expect('the name', auth.resetPassword, [400, 'password_too_similar'], {
      body: { token, password: 'testuser1234' },
    });
    await w.expect('a good one', auth.resetPassword, 'success', {
      body: { token, password: 'a brand new passphrase' },
    });
  });

  it('set-password (an account made by an email code): refused, still without a password', async () => {
    const user = await passwordlessUser(w);
    await w.expect('a common one', password.set, [400, 'password_too_common'], {
      as: user,
      body: { password: 'iloveyou12' },
    });
    await w.expect('a good one', password.set, 'success', {
      as: user,
      body: { password: 'a first passphrase of mine' },
    });
  });

  it('tells which rule refused it, for the form to show next to the field', async () => {
    const reply = await w.expect('a common one', auth.register, [400, 'password_too_common'], {
      body: { ...newCredentials(), password: 'qwertyuiop' },
    });
    expect(reply.json()).toMatchObject({
      title: 'Password too common',
      detail: expect.stringContaining('most common passwords') as string,
    });
  });
});
