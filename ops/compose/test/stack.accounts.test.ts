import { disposeClients } from '@repo/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { stack } from './support/compose.js';
import { verifiedUser } from './support/users.js';

describe('compose stack: an account, as a person makes one', () => {
  afterAll(disposeClients);

  it('registers, gets the email in the mailbox, verifies, logs in and reads /users/me', async () => {
    const { credentials, accessToken } = await verifiedUser();
    const me = await fetch(`${stack.apiUrl}/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: credentials.email, emailVerified: true });
  });
});
