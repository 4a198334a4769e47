import { type OutboxMessage } from '@repo/contracts';
import { type TOTP, URI } from 'otpauth';

/** Direct API calls, as a native client (no Origin): for setting up what a test does not walk through. */
export async function api(apiUrl: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The link of the newest email to `to` whose subject matches, waiting for it. */
export async function mailedLink(apiUrl: string, to: string, subject: RegExp): Promise<string> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const res = await fetch(`${apiUrl}/dev/outbox?to=${encodeURIComponent(to)}`);
    const found = ((await res.json()) as OutboxMessage[]).find((m) => subject.test(m.subject));
    if (found?.link) return found.link;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`No "${String(subject)}" email to ${to}`);
}

let sequence = 0;
export const newAccount = () => ({
  name: 'Ada Lovelace',
  email: `e2e-${Date.now()}-${sequence++}@example.com`,
  password: 'correct horse battery staple',
});

/** A verified account, made through the API. */
export async function verifiedAccount(apiUrl: string) {
  const account = newAccount();
  await api(apiUrl, '/auth/register', account);
  const link = await mailedLink(apiUrl, account.email, /Confirm/);
  await api(apiUrl, '/auth/verify-email', { token: new URL(link).searchParams.get('token') });
  return account;
}

/** Turns TOTP on for an account through the API; returns a code generator for it. */
export async function enableTotp(apiUrl: string, account: { email: string; password: string }) {
  const login = await api(apiUrl, '/auth/login', {
    email: account.email,
    password: account.password,
  });
  const token = login.body.accessToken as string;
  const setup = await api(apiUrl, '/auth/mfa/totp/setup', {}, token);
  const totp = URI.parse(setup.body.otpauthUrl as string) as TOTP;
  await api(apiUrl, '/auth/mfa/totp/enable', { code: totp.generate() }, token);
  // The next time step: the current one was just used to enable, and is accepted only once.
  return () => totp.generate({ timestamp: Date.now() + 30_000 });
}
