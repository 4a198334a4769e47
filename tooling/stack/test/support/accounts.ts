import { ApiClient, type ApiClientOptions } from '@repo/client';
import { type OutboxMessage } from '@repo/contracts';

/** Users of the stack, as a Node script makes them: through the API, the email from the dev outbox. */
export interface Credentials {
  email: string;
  password: string;
  name: string;
}

let sequence = 0;
export const newCredentials = (): Credentials => ({
  email: `stack-${process.pid}-${Date.now()}-${sequence++}@example.com`,
  password: 'correct horse battery staple',
  name: 'Stack User',
});

const clients: ApiClient[] = [];

/** A client as a Node script uses it: no Origin, the refresh token in the body. */
export function nativeClient(apiUrl: string, options: Partial<ApiClientOptions> = {}) {
  const client = new ApiClient({ baseUrl: apiUrl, mode: 'native', ...options });
  clients.push(client);
  return client;
}

/** Disposes every client made here (their refresh timers). */
export function disposeClients() {
  for (const client of clients.splice(0)) client.dispose();
}

/** The newest email to `to` whose subject matches (polled: some are written in the background). */
export async function lastEmail(
  client: ApiClient,
  to: string,
  subject: RegExp,
  timeoutMs = 5_000,
): Promise<OutboxMessage> {
  for (const deadline = Date.now() + timeoutMs; ;) {
    const found = (await client.dev.outbox({ to })).find((m) => subject.test(m.subject));
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
  await client.auth.register(credentials);
  const email = await lastEmail(client, credentials.email, /Confirm/);
  const token = new URL(email.link!).searchParams.get('token')!;
  await client.auth.verifyEmail({ token });
  await client.auth.login({ email: credentials.email, password: credentials.password });
  return { client, credentials, user: client.user!, accessToken: client.accessToken! };
}
