/**
 * Connection findings: every way the path from the web app to the API can be misconfigured, by a
 * stable code, with its title and fix for a developer. `pnpm run doctor` reports them with
 * evidence; the web app's connection banner reports the ones a browser can tell
 * (CONNECTION_FINDINGS in diagnose.ts). docs/troubleshooting.md explains each one.
 *
 * The texts name environment variables and commands: they are for developers, so this module is
 * reached only through the `@repo/client/diagnosis` entry, never from what the web app ships.
 */
export type FindingArea = 'config' | 'reachability' | 'cors' | 'cookies' | 'websocket';
export type FindingSeverity = 'error' | 'warning';

export interface FindingInfo {
  area: FindingArea;
  severity: FindingSeverity;
  /** What is wrong, in a few words. */
  title: string;
  /** The fix, in one sentence. */
  fix: string;
}

export const FINDINGS = {
  // ── config: read from the environment, before any request ───────────────────────────────────
  config_api_url_invalid: {
    area: 'config',
    severity: 'error',
    title: 'NEXT_PUBLIC_API_URL is not a usable URL',
    fix: 'Set NEXT_PUBLIC_API_URL to the API base URL with its prefix, e.g. https://api.example.com/api/v1 (no trailing slash), and rebuild the web app.',
  },
  config_ws_url_invalid: {
    area: 'config',
    severity: 'error',
    title: 'NEXT_PUBLIC_WS_URL is not a usable WebSocket URL',
    fix: 'Set NEXT_PUBLIC_WS_URL to the ws:// or wss:// URL of the API’s /ws, e.g. wss://api.example.com/ws, and rebuild the web app.',
  },
  config_origin_not_allowed: {
    area: 'config',
    severity: 'error',
    title: 'The web origin is not in CORS_ORIGINS',
    fix: 'Add the web app’s exact origin (scheme://host[:port]) to CORS_ORIGINS and restart the API (and nginx).',
  },
  config_cors_wildcard: {
    area: 'config',
    severity: 'error',
    title: 'CORS_ORIGINS contains a wildcard',
    fix: 'List exact origins: a wildcard cannot be used with credentials (cookies), and would let any site call the API.',
  },
  config_passkey_origin: {
    area: 'config',
    severity: 'warning',
    title: 'Passkeys cannot work from a web origin',
    fix: 'Serve the web app on a domain name, over https (plain http only on localhost). The RP ID is the host of WEB_ORIGIN: every other origin in CORS_ORIGINS that should offer passkeys must be that host or a subdomain of it.',
  },
  mixed_content: {
    area: 'config',
    severity: 'error',
    title: 'An https page calls an http API (mixed content)',
    fix: 'Serve the API over https and point NEXT_PUBLIC_API_URL (and wss:// for NEXT_PUBLIC_WS_URL) at it.',
  },
  config_cookie_cross_site: {
    area: 'config',
    severity: 'error',
    title: 'Web and API are on different sites but the cookie is SameSite=Lax/Strict',
    fix: 'Put web and API on one site (app.example.com + api.example.com), or set COOKIE_SAMESITE=none (with https).',
  },
  config_cookie_secure_on_http: {
    area: 'config',
    severity: 'error',
    title: 'Secure cookies on a plain-http API',
    fix: 'Serve the API over https, or for a local http setup set COOKIE_SECURE=false (browsers drop Secure cookies sent over http, except on localhost).',
  },
  config_dev_defaults_in_production: {
    area: 'config',
    severity: 'error',
    title: 'Dev defaults in production',
    fix: 'Set the production values the API asks for (secrets, DATABASE_URL, CORS_ORIGINS, WEB_ORIGIN, SMTP_URL): see .env.example.',
  },

  // ── reachability ────────────────────────────────────────────────────────────────────────────
  dns_failed: {
    area: 'reachability',
    severity: 'error',
    title: 'The API host name does not resolve',
    fix: 'Check the host name in NEXT_PUBLIC_API_URL and its DNS record.',
  },
  api_unreachable: {
    area: 'reachability',
    severity: 'error',
    title: 'Nothing answers at the API address',
    fix: 'Start the API (`pnpm dev`, `pnpm stack`), or fix the host and port in NEXT_PUBLIC_API_URL.',
  },
  api_timeout: {
    area: 'reachability',
    severity: 'error',
    title: 'The API did not answer in time',
    fix: 'Check that the API is not stuck on a slow dependency, and that no firewall or proxy drops the connection.',
  },
  tls_invalid: {
    area: 'reachability',
    severity: 'error',
    title: 'The API’s TLS certificate is not valid',
    fix: 'Install a certificate for the API host that a browser trusts (not expired, full chain, matching the name).',
  },
  api_wrong_base_path: {
    area: 'reachability',
    severity: 'error',
    title: 'A server answers, but not the API at this path',
    fix: 'Point NEXT_PUBLIC_API_URL at the API prefix, e.g. http://localhost:4000/api/v1 — /health must answer under it.',
  },
  api_not_ready: {
    area: 'reachability',
    severity: 'warning',
    title: 'The API is up but not ready (a dependency is down)',
    fix: 'Check the database: GET /health/ready lists which dependency failed.',
  },

  // ── CORS ─────────────────────────────────────────────────────────────────────────────────────
  cors_blocked: {
    area: 'cors',
    severity: 'error',
    title: 'The API answers, but the browser blocks the response (CORS)',
    fix: 'Add the web origin to CORS_ORIGINS of the API (or of nginx behind a proxy) and restart it.',
  },
  cors_preflight_refused: {
    area: 'cors',
    severity: 'error',
    title: 'The preflight from the web origin is refused',
    fix: 'Add the web origin, exactly as the browser sends it, to CORS_ORIGINS and restart the API and nginx.',
  },
  cors_preflight_not_answered: {
    area: 'cors',
    severity: 'error',
    title: 'Nothing answers the CORS preflight (OPTIONS)',
    fix: 'Behind nginx with CORS_MODE=proxy, nginx must answer OPTIONS: use the templates in nginx/ (or set CORS_MODE=app without a proxy).',
  },
  cors_incomplete_preflight: {
    area: 'cors',
    severity: 'error',
    title: 'The preflight answer misses a method or header the web app needs',
    fix: 'Allow the methods GET, POST, PUT, PATCH, DELETE, OPTIONS and the headers Content-Type, Authorization, Accept, X-Request-Id, X-API-Key, traceparent, tracestate.',
  },
  cors_allow_origin_missing: {
    area: 'cors',
    severity: 'error',
    title: 'A response to the web origin has no Access-Control-Allow-Origin',
    fix: 'Every response to an allowed origin needs it (errors too): let the API (CORS_MODE=app) or nginx (`add_header … always`) add it.',
  },
  cors_duplicate_allow_origin: {
    area: 'cors',
    severity: 'error',
    title: 'Two Access-Control-Allow-Origin headers (the app and the proxy both add one)',
    fix: 'Set CORS_MODE=proxy on the API behind nginx, and let nginx hide upstream CORS headers (proxy_hide_header).',
  },
  cors_wildcard_with_credentials: {
    area: 'cors',
    severity: 'error',
    title: 'Access-Control-Allow-Origin: * with credentials',
    fix: 'Echo the exact allowed origin instead of *: browsers refuse * on requests with cookies.',
  },
  cors_credentials_missing: {
    area: 'cors',
    severity: 'error',
    title: 'Access-Control-Allow-Credentials is not true',
    fix: 'Send Access-Control-Allow-Credentials: true to allowed origins, or the browser drops the refresh cookie.',
  },
  cors_reflects_any_origin: {
    area: 'cors',
    severity: 'error',
    title: 'The API allows any origin (it echoes whatever Origin it gets)',
    fix: 'Allow only the exact origins of CORS_ORIGINS: echoing any origin with credentials lets every site act as the user.',
  },
  cors_vary_missing: {
    area: 'cors',
    severity: 'warning',
    title: 'Vary: Origin is missing',
    fix: 'Send Vary: Origin with CORS answers, or a cache may serve one origin’s answer to another.',
  },

  // ── cookies ─────────────────────────────────────────────────────────────────────────────────
  cookie_login_failed: {
    area: 'cookies',
    severity: 'warning',
    title: 'Could not log in to check the cookies',
    fix: 'Pass --user and --password of a verified account (in dev, `pnpm --filter api db:seed` creates one).',
  },
  cookie_not_set: {
    area: 'cookies',
    severity: 'error',
    title: 'Login sets no refresh cookie',
    fix: 'Check that the proxy passes Set-Cookie through and that the request carries the web origin.',
  },
  cookie_samesite_none_without_secure: {
    area: 'cookies',
    severity: 'error',
    title: 'The refresh cookie is SameSite=None without Secure',
    fix: 'Browsers reject SameSite=None cookies that are not Secure: serve the API over https and keep COOKIE_SECURE on.',
  },
  cookie_not_http_only: {
    area: 'cookies',
    severity: 'error',
    title: 'The refresh cookie is readable by scripts (no HttpOnly)',
    fix: 'Keep the refresh cookie HttpOnly; check that no proxy rewrites its flags.',
  },
  cookie_refresh_failed: {
    area: 'cookies',
    severity: 'error',
    title: 'Refreshing through the cookie failed',
    fix: 'Check the cookie’s Path, Domain and SameSite against the web and API origins, and the CSRF header the client sends.',
  },
  cookie_logout_failed: {
    area: 'cookies',
    severity: 'warning',
    title: 'Logout did not clear the session',
    fix: 'Check that POST /auth/logout reaches the API with the cookie and that the proxy passes its Set-Cookie.',
  },

  // ── WebSocket ───────────────────────────────────────────────────────────────────────────────
  ws_upgrade_failed: {
    area: 'websocket',
    severity: 'error',
    title: 'The WebSocket upgrade from the web origin failed',
    fix: 'Check NEXT_PUBLIC_WS_URL and that the web origin is in CORS_ORIGINS (the gateway and nginx check it).',
  },
  ws_upgrade_not_forwarded: {
    area: 'websocket',
    severity: 'error',
    title: 'The proxy does not forward the WebSocket upgrade',
    fix: 'In nginx’s /ws location: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade".',
  },
  ws_origin_not_checked: {
    area: 'websocket',
    severity: 'error',
    title: 'A WebSocket from a foreign origin is accepted',
    fix: 'Refuse upgrades whose Origin is not allowed (403), in the gateway and at the proxy; never strip the Origin header.',
  },
  ws_auth_failed: {
    area: 'websocket',
    severity: 'error',
    title: 'The WebSocket did not authenticate or answer a ping',
    fix: 'Check that the access token is accepted on /ws (same JWT settings on every replica) and that the proxy passes frames both ways.',
  },
  ws_idle_closed: {
    area: 'websocket',
    severity: 'error',
    title: 'An idle WebSocket is closed before the heartbeat',
    fix: 'Raise the proxy’s read timeout above WS_HEARTBEAT_MS (nginx: NGINX_WS_READ_TIMEOUT / proxy_read_timeout).',
  },

  // ── the browser only ────────────────────────────────────────────────────────────────────────
  offline: {
    area: 'reachability',
    severity: 'error',
    title: 'The browser is offline',
    fix: 'Check the network connection.',
  },
  network_error: {
    area: 'reachability',
    severity: 'error',
    title: 'The request got no response, reason unknown',
    fix: 'Run `pnpm run doctor` (or `pnpm run doctor --api <url> --origin <web origin>`) to find which step fails.',
  },
} as const satisfies Record<string, FindingInfo>;

export type FindingCode = keyof typeof FINDINGS;
