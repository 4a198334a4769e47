import { contract, type OutboxMessage } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { expect } from 'vitest';
import { type World } from '../support/world.js';

const { emailCode, dev } = contract;

/** The subjects of the emails that carry a code: sign-in, and sign-up. */
export const EMAIL_CODE_SUBJECT = /sign-in code|signing up/;

/** The code of an email-code email, read from its link's fragment; the text shows the same code. */
export function codeOf(mail: Pick<OutboxMessage, 'link' | 'text'>): { code: string; link: string } {
  const link = new URL(mail.link!);
  const code = new URLSearchParams(link.hash.slice(1)).get('code')!;
  expect(code).toMatch(/^\d{6}$/);
  expect(mail.text).toContain(`is ${code}.`);
  return { code, link: mail.link! };
}

/** The code of the newest email-code email to `to`, once there are `count` (sent after the 202). */
export async function mailedCode(w: World, to: string, count = 1): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const reply = await w.expect('dev outbox', dev.outbox, 'success', { query: { to } });
    const mails = (reply.json() as OutboxMessage[]).filter((m) =>
      EMAIL_CODE_SUBJECT.test(m.subject),
    );
    if (mails.length >= count) return codeOf(mails[0]!).code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`No email code to ${to}`);
}

/** Asks for a code for `email` (a sign-up when `name` is given) and reads it from the mail. */
export async function requestCode(w: World, email: string, name?: string): Promise<string> {
  await w.expect('request an email code', emailCode.request, 'success', {
    body: { email, ...(name === undefined ? {} : { name }) },
  });
  return mailedCode(w, email);
}

/** A six-digit code that is not `code`. */
export const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

/** A new account made by an email code alone (no password), signed in from a browser. */
export async function passwordlessUser(w: World) {
  const { email, name } = newCredentials();
  const code = await requestCode(w, email, name);
  const reply = await w.expect('sign up with an email code', emailCode.verify, 'success', {
    body: { email, code },
  });
  const { accessToken, user } = reply.json() as { accessToken: string; user: { id: string } };
  return { email, id: user.id, accessToken };
}
