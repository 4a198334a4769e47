import { newCredentials, nativeClient } from '@repo/test-support';
import { stack } from './compose.js';
import { lastEmail } from './mailbox.js';

/**
 * A verified user as a person makes one on the stack: register through nginx, open the link of
 * the email the API sent to the mail catcher, verify, log in.
 */
export async function verifiedUser() {
  const credentials = newCredentials();
  const client = nativeClient(stack.apiUrl);
  await client.auth.register({ body: credentials });
  const email = await lastEmail(credentials.email, /Confirm/);
  const link = /https?:\/\/\S+/.exec(email.Text)?.[0];
  const token = link && new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no verification link in: ${email.Text}`);
  await client.auth.verifyEmail({ body: { token } });
  await client.auth.login({ body: { email: credentials.email, password: credentials.password } });
  return { client, credentials, user: client.user!, accessToken: client.accessToken! };
}
