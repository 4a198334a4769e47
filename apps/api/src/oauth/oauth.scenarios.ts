import { contract, type LinkedAccount, type OAuthRedirect } from '@repo/contracts';
import { newGitHubUser } from '@repo/test-support/oauth';
import { expect } from 'vitest';
import {
  cookieSet,
  gitHubAccount,
  gitHubCallback,
  linkGitHub,
  refreshCookieOf,
  testGitHub,
} from '../../test/support/oauth.js';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';

const oauth = contract.oauth;
const GITHUB = { provider: 'github' };
/** Enabled in no test app by default. */
const GOOGLE = { provider: 'google' };
const UNKNOWN = { provider: 'myspace' };

/** A GitHub account whose verified email is this one. */
const gitHubUserWith = (email: string) =>
  newGitHubUser({ emails: [{ email, primary: true, verified: true }] });

export const scenarios = defineScenarios(oauth, {
  providers: [
    succeeds(
      'oauth providers',
      () => ({}),
      (_w, reply) => {
        expect(reply.json()).toEqual([{ id: 'github', name: 'GitHub' }]);
        return Promise.resolve();
      },
    ),
  ],
  start: [
    succeeds(
      'oauth start',
      () => ({ params: GITHUB, query: { next: '/settings/profile' } }),
      async (_w, reply) => {
        const location = new URL(reply.headers.get('location')!);
        expect(location.href).toContain(`${(await testGitHub()).baseUrl}/login/oauth/authorize`);
        expect(location.searchParams.get('code_challenge_method')).toBe('S256');
        expect(cookieSet(reply, 'oauth_flow')).toBeDefined();
      },
    ),
    refused('oauth start, unknown provider', [400, 'validation_failed'], () => ({
      params: UNKNOWN,
    })),
    refused('oauth start, provider not enabled', [404, 'not_found'], () => ({ params: GOOGLE })),
    refused('oauth start, next too long', [400, 'validation_failed'], () => ({
      params: GITHUB,
      query: { next: `/${'n'.repeat(300)}` },
    })),
  ],
  callback: [
    succeeds(
      'oauth callback, new account',
      (w) => gitHubCallback(w),
      (_w, reply) => {
        expect(reply.headers.get('location')).toBe('http://localhost:3000/dashboard');
        expect(refreshCookieOf(reply), 'signed in').toBeDefined();
        return Promise.resolve();
      },
    ),
    succeeds(
      'oauth callback without the flow cookie',
      async (w) => ({ ...(await gitHubCallback(w)), cookie: undefined }),
      (_w, reply) => {
        expect(reply.headers.get('location')).toContain('/login?oauth_error=state_mismatch');
        expect(refreshCookieOf(reply)).toBeUndefined();
        return Promise.resolve();
      },
    ),
    refused('oauth callback, unknown provider', [400, 'validation_failed'], () => ({
      params: UNKNOWN,
    })),
  ],
  link: [
    succeeds(
      'oauth link',
      async (w) => ({ as: await w.user(), params: GITHUB }),
      (_w, reply) => {
        expect((reply.json() as OAuthRedirect).url).toContain('/login/oauth/authorize');
        expect(cookieSet(reply, 'oauth_flow')).toBeDefined();
        return Promise.resolve();
      },
    ),
    refused('oauth link without a token', [401, 'unauthorized'], () => ({ params: GITHUB })),
    refused('oauth link, provider not enabled', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: GOOGLE,
    })),
  ],
  linkPending: [
    succeeds(
      'oauth link pending',
      async (w) => {
        const user = await w.user();
        const back = await w.expect(
          'oauth callback, email of an account',
          oauth.callback,
          'success',
          await gitHubCallback(w, gitHubUserWith(user.email)),
        );
        expect(back.headers.get('location')).toContain('oauth_error=account_exists');
        return { as: user, cookie: cookieSet(back, 'oauth_pending')!, context: { user } };
      },
      async (w, reply, request) => {
        const linked = reply.json() as LinkedAccount;
        expect(linked.provider).toBe('github');
        expect(cookieSet(reply, 'oauth_pending'), 'the pending cookie is cleared').toBeUndefined();
        // Sent again (the browser dropped it; a copy did not): the same link, nothing new.
        const again = await w.expect('link pending twice', oauth.linkPending, 'success', request);
        expect(again.json()).toEqual(linked);
        const list = await w.expect('linked accounts', oauth.accounts, 'success', {
          as: request.as!,
        });
        expect(list.json()).toEqual([linked]);
      },
    ),
    refused('oauth link pending, nothing pending', [404, 'not_found'], async (w) => ({
      as: await w.user(),
    })),
    refused('oauth link pending, as another account', [409, 'conflict'], async (w) => {
      const owner = await w.user();
      const back = await w.expect(
        'oauth callback, email of an account',
        oauth.callback,
        'success',
        await gitHubCallback(w, gitHubUserWith(owner.email)),
      );
      return { as: await w.user(), cookie: cookieSet(back, 'oauth_pending')! };
    }),
    refused('oauth link pending without a token', [401, 'unauthorized'], () => ({})),
  ],
  accounts: [
    succeeds('linked accounts', async (w) => ({ as: await w.user() })),
    refused('linked accounts without a token', [401, 'unauthorized'], () => ({})),
  ],
  unlink: [
    succeeds(
      'oauth unlink',
      async (w) => {
        const user = await w.user();
        const linked = await linkGitHub(w, user);
        return { as: user, params: { id: linked.id } };
      },
      async (w, _reply, request) => {
        const list = await w.expect('linked accounts', oauth.accounts, 'success', {
          as: request.as!,
        });
        expect(list.json()).toEqual([]);
      },
    ),
    refused('oauth unlink, the last way in', [409, 'conflict'], async (w) => {
      const account = await gitHubAccount(w);
      const list = await w.expect('linked accounts', oauth.accounts, 'success', { as: account });
      return { as: account, params: { id: (list.json() as LinkedAccount[])[0]!.id } };
    }),
    refused('oauth unlink, not linked', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: { id: '00000000-0000-4000-8000-000000000000' },
    })),
    refused('oauth unlink, bad id', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      params: { id: 'nope' },
    })),
  ],
});
