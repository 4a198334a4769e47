import { type AuthTokens, contract } from '@repo/contracts';
import { expect } from 'vitest';
import { type Credentials, newCredentials } from '@repo/test-support';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { totpCode } from '../../test/support/world.js';

const { auth, users } = contract;
const FOREIGN_ORIGIN = 'http://evil.example';
const NEW_PASSWORD = 'a brand new passphrase';
/** In the top 100,000 of leaked passwords, and long enough for the contract. */
const COMMON_PASSWORD = 'qwertyuiop';

export const scenarios = defineScenarios(
  auth,
  {
    register: [
      succeeds(
        'register',
        () => ({ body: newCredentials() }),
        async (w, _reply, request) => {
          await w.mailed((request.body as Credentials).email, /^Confirm your email/);
        },
      ),
      // The same answer as for a new address; the owner is told by email instead.
      succeeds(
        'register again (other case)',
        async (w) => {
          const taken = await w.unverifiedUser();
          return { body: { ...newCredentials(), email: taken.email.toUpperCase() } };
        },
        async (w, _reply, request) => {
          const { email } = request.body as Credentials;
          await w.mailed(email.toLowerCase(), /^Someone tried to register/);
        },
      ),
      refused('register with a common password', [400, 'password_too_common'], () => ({
        body: { ...newCredentials(), password: COMMON_PASSWORD },
      })),
      refused('register with a password made of the name', [400, 'password_too_similar'], () => ({
        body: { ...newCredentials(), name: 'Ada Lovelace', password: 'Lovelace 1815!' },
      })),
      refused('register invalid', [400, 'validation_failed'], () => ({
        body: { email: 'a@b', password: 'short', name: '' },
      })),
      refused('register malformed JSON', [400, 'malformed_json'], () => ({
        raw: { text: '{"email":', contentType: 'application/json' },
      })),
      refused('register as text', [415, 'unsupported_media_type'], () => ({
        raw: { text: JSON.stringify(newCredentials()), contentType: 'text/plain' },
      })),
      refused('register __proto__', [400, 'malformed_json'], () => ({
        raw: {
          text: `{"__proto__":{"admin":true},${JSON.stringify(newCredentials()).slice(1)}`,
          contentType: 'application/json',
        },
      })),
    ],
    verifyEmail: [
      succeeds(
        'verify email',
        async (w) => {
          const { email } = await w.unverifiedUser();
          return { body: { token: await w.mailedToken(email, /Confirm/) } };
        },
        async (w, _reply, request) => {
          await w.expect('verify twice', auth.verifyEmail, [400, 'link_invalid'], request);
        },
      ),
      refused('verify with a bad token', [400, 'link_invalid'], () => ({
        body: { token: 'x'.repeat(43) },
      })),
      refused('verify with a short token', [400, 'validation_failed'], () => ({
        body: { token: 'short' },
      })),
    ],
    resendVerification: [
      succeeds(
        'resend verification',
        async (w) => ({ body: { email: (await w.unverifiedUser()).email } }),
        async (w, _reply, request) => {
          // The resent link works.
          const { email } = request.body as { email: string };
          const token = await w.mailedToken(email, /Confirm/, 2);
          await w.expect('verify with the resent link', auth.verifyEmail, 'success', {
            body: { token },
          });
        },
      ),
      succeeds('resend to nobody', () => ({ body: { email: `nobody-${newCredentials().email}` } })),
      refused('resend invalid', [400, 'validation_failed'], () => ({
        body: { email: 'ü@exämple.com' },
      })),
    ],
    login: [
      succeeds('login (browser)', async (w) => {
        const { email, password } = await w.user();
        return { body: { email, password } };
      }),
      succeeds('login (native)', async (w) => {
        const { email, password } = await w.user();
        return { body: { email, password }, origin: null };
      }),
      refused('login unverified', [403, 'email_not_verified'], async (w) => {
        const { email, password } = await w.unverifiedUser();
        return { body: { email, password } };
      }),
      refused('wrong password', [401, 'invalid_credentials'], async (w) => ({
        body: { email: (await w.user()).email, password: 'not the password' },
      })),
      refused('unknown email', [401, 'invalid_credentials'], () => ({
        body: { email: `nobody-${newCredentials().email}`, password: 'whatever it is' },
      })),
      refused('login without fields', [400, 'validation_failed'], () => ({ body: {} })),
    ],
    verifyMfa: [
      succeeds(
        'verify-mfa (TOTP)',
        async (w) => {
          const user = await w.mfaUser();
          // The enable used this time step's code; each is accepted once, so the next step's.
          const code = totpCode(user.secret, 1);
          return { body: { mfaToken: await w.mfaChallenge(user), code }, context: { user } };
        },
        async (w, _reply, request) => {
          const user = request.context!.user as Parameters<typeof w.mfaChallenge>[0];
          const { code } = request.body as { code: string };
          await w.expect('verify-mfa, code replayed', auth.verifyMfa, [400, 'invalid_mfa_code'], {
            body: { mfaToken: await w.mfaChallenge(user), code },
          });
        },
      ),
      succeeds(
        'verify-mfa (recovery code, native)',
        async (w) => {
          const user = await w.mfaUser();
          const code = user.recoveryCodes[0]!;
          return {
            body: { mfaToken: await w.mfaChallenge(user), code },
            origin: null,
            context: { user },
          };
        },
        async (w, _reply, request) => {
          const user = request.context!.user as Parameters<typeof w.mfaChallenge>[0];
          const { code } = request.body as { code: string };
          await w.expect('recovery code reused', auth.verifyMfa, [400, 'invalid_mfa_code'], {
            body: { mfaToken: await w.mfaChallenge(user), code },
          });
        },
      ),
      refused('verify-mfa, wrong code', [400, 'invalid_mfa_code'], async (w) => {
        const user = await w.mfaUser();
        return {
          body: { mfaToken: await w.mfaChallenge(user), code: 'zzzzzz-zzzzzz-zzzzzz-zzzzzz' },
        };
      }),
      refused('verify-mfa, bad challenge', [401, 'token_invalid'], () => ({
        body: { mfaToken: 'x'.repeat(40), code: '123456' },
      })),
      refused('verify-mfa, access token as challenge', [401, 'token_invalid'], async (w) => ({
        body: { mfaToken: (await w.user()).accessToken, code: '123456' },
      })),
      refused('verify-mfa, bad format', [400, 'validation_failed'], async (w) => ({
        body: { mfaToken: await w.mfaChallenge(await w.mfaUser()), code: 'abc' },
      })),
    ],
    // The first success of an endpoint is the base of the bad-input suite: a body with content.
    refresh: [
      succeeds(
        'refresh (native)',
        async (w) => {
          const { refreshToken } = await w.nativeLogin(await w.user());
          return { body: { refreshToken }, origin: null };
        },
        async (w, reply, request) => {
          expect((reply.json() as AuthTokens).refreshToken, 'a new refresh token').toBeDefined();
          await w.expect('refresh token replayed', auth.refresh, [401, 'refresh_reused'], request);
        },
      ),
      succeeds('refresh (cookie)', async (w) => ({ as: { cookie: (await w.user()).cookie } })),
      refused('refresh without a token', [401, 'unauthorized'], () => ({ body: {} })),
      refused('refresh with a bogus cookie', [401, 'token_invalid'], () => ({
        as: { cookie: `refresh_token=${'b'.repeat(43)}` },
      })),
      refused('refresh as text', [415, 'unsupported_media_type'], async (w) => ({
        as: { cookie: (await w.user()).cookie },
        raw: { text: '{}', contentType: 'text/plain' },
      })),
      refused('refresh from a foreign origin', [403, 'origin_not_allowed'], async (w) => ({
        as: { cookie: (await w.user()).cookie },
        origin: FOREIGN_ORIGIN,
      })),
      refused('refresh with a number', [400, 'validation_failed'], () => ({
        body: { refreshToken: 5 },
      })),
    ],
    logout: [
      succeeds('logout (native)', async (w) => {
        const { refreshToken } = await w.nativeLogin(await w.user());
        return { body: { refreshToken }, origin: null };
      }),
      succeeds(
        'logout',
        async (w) => ({ as: { cookie: (await w.user()).cookie } }),
        async (w, _reply, request) => {
          await w.expect('logout twice', auth.logout, 'success', request);
          await w.expect('refresh after logout', auth.refresh, [401, 'token_invalid'], request);
        },
      ),
      refused('logout as text', [415, 'unsupported_media_type'], async (w) => ({
        as: { cookie: (await w.user()).cookie },
        raw: { text: '{}', contentType: 'text/plain' },
      })),
      refused('logout from a foreign origin', [403, 'origin_not_allowed'], async (w) => ({
        as: { cookie: (await w.user()).cookie },
        origin: FOREIGN_ORIGIN,
      })),
      refused('logout with a number', [400, 'validation_failed'], () => ({
        body: { refreshToken: 1 },
      })),
    ],
    logoutAll: [
      succeeds(
        'logout everywhere',
        async (w) => {
          const user = await w.user();
          return { as: user, context: { other: await w.login(user) } };
        },
        async (w, _reply, request) => {
          const other = request.context!.other as { accessToken: string; cookie: string };
          await w.expect('another session after it', users.me, [401, 'token_invalid'], {
            as: other,
          });
          await w.expect('its refresh', auth.refresh, [401, 'token_invalid'], {
            as: { cookie: other.cookie },
          });
        },
      ),
      refused('logout everywhere without a token', [401, 'unauthorized'], () => ({})),
    ],
    requestPasswordReset: [
      succeeds('request a reset', async (w) => ({ body: { email: (await w.user()).email } })),
      succeeds('request a reset for nobody', () => ({
        body: { email: `nobody-${newCredentials().email}` },
      })),
      refused('request a reset, invalid', [400, 'validation_failed'], () => ({
        body: { email: ' ' },
      })),
    ],
    resetPassword: [
      succeeds(
        'reset the password',
        async (w) => {
          const user = await w.user();
          const key = await w.apiKey(user);
          await w.expect('request a reset', auth.requestPasswordReset, 'success', {
            body: { email: user.email },
          });
          const token = await w.mailedToken(user.email, /Reset/);
          return { body: { token, password: NEW_PASSWORD }, context: { user, key: key.secret } };
        },
        async (w, _reply, request) => {
          const user = request.context!.user as {
            email: string;
            password: string;
            accessToken: string;
          };
          await w.expect('reset twice', auth.resetPassword, [400, 'link_invalid'], request);
          await w.expect('the old session', users.me, [401, 'token_invalid'], { as: user });
          await w.expect('an API key after it', users.me, [401, 'api_key_invalid'], {
            as: { apiKey: request.context!.key as string },
          });
          await w.expect('the old password', auth.login, [401, 'invalid_credentials'], {
            body: { email: user.email, password: user.password },
          });
          await w.login({ email: user.email, password: NEW_PASSWORD });
        },
      ),
      refused('reset with a bad token', [400, 'link_invalid'], () => ({
        body: { token: 'r'.repeat(43), password: NEW_PASSWORD },
      })),
      refused('reset with a short password', [400, 'validation_failed'], () => ({
        body: { token: 'r'.repeat(43), password: 'short' },
      })),
      refused(
        'reset to a common password',
        [400, 'password_too_common'],
        async (w) => {
          const { email } = await w.user();
          await w.expect('request a reset', auth.requestPasswordReset, 'success', {
            body: { email },
          });
          return {
            body: { token: await w.mailedToken(email, /Reset/), password: COMMON_PASSWORD },
          };
        },
        async (w, _reply, request) => {
          // The refused password did not use the link up.
          const { token } = request.body as { token: string };
          await w.expect('reset with a good one', auth.resetPassword, 'success', {
            body: { token, password: NEW_PASSWORD },
          });
        },
      ),
    ],
    changePassword: [
      succeeds(
        'change the password',
        async (w) => {
          const user = await w.user();
          return { as: user, body: { currentPassword: user.password, newPassword: NEW_PASSWORD } };
        },
        async (w, _reply, request) => {
          await w.expect('me after changing it', users.me, 'success', { as: request.as });
        },
      ),
      refused('change it, wrong current', [400, 'wrong_password'], async (w) => ({
        as: await w.user(),
        body: { currentPassword: 'not the password', newPassword: NEW_PASSWORD },
      })),
      refused('change it, weak new', [400, 'validation_failed'], async (w) => {
        const user = await w.user();
        return { as: user, body: { currentPassword: user.password, newPassword: 'short' } };
      }),
      refused('change it to a common one', [400, 'password_too_common'], async (w) => {
        const user = await w.user();
        return { as: user, body: { currentPassword: user.password, newPassword: COMMON_PASSWORD } };
      }),
      refused('change it to the name', [400, 'password_too_similar'], async (w) => {
        const user = await w.user();
        const newPassword = `${user.name.toUpperCase()} 2026!`;
        return { as: user, body: { currentPassword: user.password, newPassword } };
      }),
      refused('change it without a token', [401, 'unauthorized'], () => ({
        body: { currentPassword: 'whatever it is', newPassword: NEW_PASSWORD },
      })),
    ],
  },
  // A wrong password for an account is in its owner's audit log.
  { refusalsRecordedIn: { login: ['security_events'] } },
);
