import {
  authTokensSchema,
  type LoginResult,
  loginResultSchema,
  type OutboxMessage,
} from '@repo/contracts';
import { expect } from 'vitest';
import { type ApiTarget, get, post } from '../support/auth-client.js';
import { sql } from '../support/auth-extras.js';
import { type TestApp } from '../support/test-app.js';
import { codeOf, EMAIL_CODE_SUBJECT } from './mailed-code.js';

/** The email-code routes as the web app calls them (with its Origin unless `headers` say else). */
export const requestCode = (
  t: ApiTarget,
  body: { email: string; name?: string },
  headers: Record<string, string> = {},
) => post(t, '/auth/email-code/request', body, headers);

export const verifyCode = (
  t: ApiTarget,
  body: { email: string; code: string },
  headers: Record<string, string> = {},
) => post(t, '/auth/email-code/verify', body, headers);

/** The email-code emails to `to` in the dev outbox, newest first. */
export async function codeMails(t: ApiTarget, to: string): Promise<OutboxMessage[]> {
  const res = await get(t, `/dev/outbox?to=${encodeURIComponent(to)}`);
  return ((await res.json()) as OutboxMessage[]).filter((m) => EMAIL_CODE_SUBJECT.test(m.subject));
}

/**
 * Waits until the request's work (done after its 202) is committed: the address's code row is
 * written in the same transaction as its email, so once it is there, so is any email.
 */
export async function requestDone(t: TestApp, email: string) {
  await expect
    .poll(async () => sql(t, 'SELECT 1 FROM email_codes WHERE email = $1', [email]), {
      timeout: 5_000,
      interval: 25,
    })
    .toHaveLength(1);
}

/** Asks for a code and returns it with its mail, once the mail is there (the `count`-th one). */
export async function askForCode(t: ApiTarget, email: string, name?: string, count = 1) {
  const res = await requestCode(t, name === undefined ? { email } : { email, name });
  expect(res.status).toBe(202);
  let mails: OutboxMessage[] = [];
  await expect
    .poll(
      async () => {
        mails = await codeMails(t, email);
        return mails.length;
      },
      { timeout: 5_000, interval: 25 },
    )
    .toBeGreaterThanOrEqual(count);
  return { ...codeOf(mails[0]!), mail: mails[0]! };
}

/** The LoginResult of a verify that succeeded. */
export async function signedIn(res: Response): Promise<LoginResult> {
  expect(res.status, await res.clone().text()).toBe(200);
  return loginResultSchema.parse(await res.json());
}

export const tokensOf = async (res: Response) => authTokensSchema.parse(await signedIn(res));
