import { contract, type LinkedAccount, REFRESH_COOKIE } from '@repo/contracts';
import {
  type GitHubStandIn,
  type GitHubUser,
  gitHubEnv,
  startGitHubStandIn,
} from '@repo/test-support/oauth';
import { expect } from 'vitest';
import { type Reply } from './scenarios.js';
import { type TestUser, type World } from './world.js';

const { oauth } = contract;

let gitHub: Promise<GitHubStandIn> | undefined;

/**
 * The GitHub stand-in of this test process (GitHub cannot be reached here). Every test app signs
 * in with it, so the suites that walk every endpoint reach the provider routes too.
 */
export const testGitHub = (): Promise<GitHubStandIn> => (gitHub ??= startGitHubStandIn());

/** The API's variables for GitHub sign-in through the stand-in. */
export const testGitHubEnv = async () => gitHubEnv(await testGitHub());

/** `name=value` of a cookie a reply sets, for the next request's Cookie header. */
export function cookieSet(reply: Reply, name: string): string | undefined {
  const line = reply.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  const pair = line?.split(';')[0];
  return pair && pair !== `${name}=` ? pair : undefined;
}

/** The callback request of a GitHub flow the reply started: its query and flow cookie. */
async function throughGitHub(reply: Reply) {
  const flowCookie = cookieSet(reply, 'oauth_flow');
  expect(flowCookie, 'the flow cookie').toBeDefined();
  const location =
    reply.status === 302 ? reply.headers.get('location')! : (reply.json() as { url: string }).url;
  const authorized = await fetch(location, { redirect: 'manual' });
  const callback = new URL(authorized.headers.get('location')!);
  return {
    params: { provider: 'github' },
    query: Object.fromEntries(callback.searchParams),
    cookie: flowCookie!,
  };
}

/** A GitHub sign-in up to its callback: the request the browser would send there. */
export async function gitHubCallback(w: World, user?: GitHubUser) {
  if (user) (await testGitHub()).nextUsers.push(user);
  return throughGitHub(
    await w.expect('oauth start', oauth.start, 'success', { params: { provider: 'github' } }),
  );
}

/** Links a (new) GitHub account to a user through the link flow; its linked account. */
export async function linkGitHub(w: World, user: TestUser, gitHubUser?: GitHubUser) {
  if (gitHubUser) (await testGitHub()).nextUsers.push(gitHubUser);
  const start = await w.expect('oauth link', oauth.link, 'success', {
    as: user,
    params: { provider: 'github' },
  });
  const back = await w.expect(
    'oauth link callback',
    oauth.callback,
    'success',
    await throughGitHub(start),
  );
  expect(back.headers.get('location')).toMatch(/\/settings\/sign-in\?oauth_linked=github$/);
  const list = await w.expect('linked accounts', oauth.accounts, 'success', { as: user });
  return (list.json() as LinkedAccount[]).at(-1)!;
}

/** The refresh cookie a sign-in's callback set, if any. */
export const refreshCookieOf = (reply: Reply) => cookieSet(reply, REFRESH_COOKIE);

/** A new account made by a GitHub sign-in (no password), signed in: its access token. */
export async function gitHubAccount(w: World, user?: GitHubUser) {
  const back = await w.expect(
    'oauth callback',
    contract.oauth.callback,
    'success',
    await gitHubCallback(w, user),
  );
  const cookie = refreshCookieOf(back);
  expect(cookie, `a session: ${back.headers.get('location')}`).toBeDefined();
  const refreshed = await w.expect('refresh', contract.auth.refresh, 'success', {
    as: { cookie: cookie! },
  });
  return {
    accessToken: (refreshed.json() as { accessToken: string }).accessToken,
    cookie: cookie!,
  };
}
