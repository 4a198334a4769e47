import { accountEndpoints } from './account.js';
import { apiKeysEndpoints } from './api-keys.js';
import { authEndpoints } from './identity.js';
import { mfaEndpoints } from './mfa.js';
import { sessionsEndpoints } from './sessions.js';
import { emailCodeEndpoints, passwordEndpoints } from './email-code.js';
import { defineContract } from './endpoint.js';
import { healthEndpoints } from './health.js';
import { devEndpoints } from './mail.js';
import { notesEndpoints } from './notes.js';
import { passkeysEndpoints } from './passkeys.js';
import { reauthEndpoints } from './reauth.js';
import { securityEventsEndpoints } from './security-events.js';
import { oauthEndpoints } from './oauth.js';
import { usersEndpoints } from './users.js';

export * from './endpoint.js';

/**
 * The API surface, one entry per route, grouped by feature. The API binds a handler to each entry,
 * the OpenAPI document is generated from the bound ones, and the client's calls are derived from
 * it (`api.notes.list()`): a route is stated here and nowhere else.
 */
export const contract = defineContract(
  {
    health: healthEndpoints,
    auth: authEndpoints,
    sessions: sessionsEndpoints,
    mfa: mfaEndpoints,
    oauth: oauthEndpoints,
    emailCode: emailCodeEndpoints,
    password: passwordEndpoints,
    reauth: reauthEndpoints,
    passkeys: passkeysEndpoints,
    securityEvents: securityEventsEndpoints,
    users: usersEndpoints,
    account: accountEndpoints,
    apiKeys: apiKeysEndpoints,
    notes: notesEndpoints,
    dev: devEndpoints,
  },
  {
    health: 'Liveness and readiness of the API and what it depends on.',
    auth: 'Accounts and sign-in: registration, email verification, login, refresh, logout and passwords.',
    sessions: 'The signed-in devices of the user, and ending one of them.',
    reauth:
      'Re-authentication: a fresh proof of identity before a sensitive change (email, factors, API keys, the account).',
    mfa: 'Two-factor authentication with an authenticator app (TOTP) and recovery codes.',
    oauth:
      'Sign-in with GitHub, Google or an OpenID Connect provider, and the accounts linked to the user.',
    emailCode: 'Sign-in and passwordless sign-up with a one-time code sent by email.',
    password: 'Setting a first password on an account made without one.',
    passkeys:
      'Passkeys (WebAuthn): adding and managing them, signing in with one, and using one as the second step.',
    securityEvents: 'The audit log of the account: sign-ins, and changes to how it is protected.',
    users: 'The signed-in user’s profile.',
    account:
      'The account’s lifecycle: changing its email address (with an undo), exporting its data, deleting it.',
    apiKeys: 'API keys for scripts and integrations, with read or write scope.',
    notes: 'The example feature: notes shared in real time between the user’s devices.',
    dev: 'Development only: the outbox of emails the API would have sent.',
  },
);

export type AppContract = typeof contract;
