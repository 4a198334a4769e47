/**
 * ApiClients as a Node script makes them, and verified users made through the API (the email
 * from the dev outbox).
 */
import { ApiClient, type ApiClientOptions } from '@repo/client';
import { type OutboxMessage } from '@repo/contracts';
import { newCredentials } from './credentials.js';

const clients: ApiClient[] = [];

/** Keeps a client for disposeClients. */
export function tracked(client: ApiClient): ApiClient {
  clients.push(client);
  return client;
}

/** A client as a Node script uses it: no Origin, the refresh token in the body. */
export const nativeClient = (apiUrl: string, options: Partial<ApiClientOptions> = {}) =>
  tracked(new ApiClient({ baseUrl: apiUrl, mode: 'native', ...options }));

/** Disposes every client made or tracked here (their refresh timers). */
export function disposeClients() {
  for (const client of clients.splice(0)) client.dispose();
}

/** The newest email to `to` whose subject matches (polled: some are written in the background). */
async function lastEmail(
  client: ApiClient,
  to: string,
  subject: RegExp,
  timeoutMs = 5_000,
): Promise<OutboxMessage> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const found = (await client.dev.outbox({ query: { to } })).find((m) => subject.test(m.subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No email to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A verified user, logged in through a new native client: register, confirm the email with the
 * link from the dev outbox (`GET /dev/outbox`, development only), log in.
 */
export async function verifiedUser(apiUrl: string, options: Partial<ApiClientOptions> = {}) {
  const credentials = newCredentials();
  const client = nativeClient(apiUrl, options);
  await client.auth.register({ body: credentials });
  const email = await lastEmail(client, credentials.email, /Confirm/);
  const token = new URL(email.link!).searchParams.get('token')!;
  await client.auth.verifyEmail({ body: { token } });
  await client.auth.login({ body: { email: credentials.email, password: credentials.password } });
  return { client, credentials, user: client.user!, accessToken: client.accessToken! };
}
