// Sign-in providers for tests: a real OpenID Provider, a GitHub stand-in, a forging provider,
// and a cookie-keeping client to drive the flows over real HTTP.
export { CookieBrowser, type Hop } from './cookie-browser.js';
export { type Forgery, type ForgingProvider, startForgingProvider } from './forging-provider.js';
export {
  type GitHubStandIn,
  type GitHubUser,
  gitHubEnv,
  newGitHubUser,
  startGitHubStandIn,
} from './github-stand-in.js';
export {
  type OidcAccount,
  type OidcClient,
  type RunningOidcProvider,
  startOidcProvider,
} from './oidc-provider.js';
