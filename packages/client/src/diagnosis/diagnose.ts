/**
 * Why a request got no response at all. A browser reports an unreachable server and a response
 * it threw away because of CORS the same way (a bare "Network Error"), so in the browser this
 * asks the server once more in a way CORS does not block: an opaque `no-cors` fetch. If that one
 * succeeds the server is up and CORS is what stopped the real request.
 */

import { type FindingCode } from './findings.js';

/**
 * The findings a browser can tell by itself, for a connection banner to switch on. Their titles
 * and fixes are in FINDINGS; docs/troubleshooting.md explains each.
 */
export const CONNECTION_FINDINGS = [
  'api_unreachable',
  'api_timeout',
  'cors_blocked',
  'mixed_content',
  'offline',
  'network_error',
] as const satisfies readonly FindingCode[];

export type ConnectionFinding = (typeof CONNECTION_FINDINGS)[number];

/**
 * What the diagnosis found: the finding and the facts behind it, no prose. Code shipped to
 * visitors words it for them; `developerHint` (developer-hints.ts) words it for a developer.
 */
export interface Diagnosis {
  finding: ConnectionFinding;
  /** The API base URL the client was configured with. */
  apiUrl: string;
  /** The origin of the URL that failed (the API's, unless the request went elsewhere). */
  targetOrigin?: string | undefined;
  /** The page's origin, in a browser. */
  pageOrigin?: string | undefined;
  /** The low-level error code, when known (ECONNREFUSED, ERR_NETWORK...). */
  cause?: string | undefined;
  /** Whether anything answered the opaque probe of the API's /health (only when it was probed). */
  reachable?: boolean;
  /**
   * The page and the API are on different sites (in a browser), where a response blocked by CORS
   * can look the same as no server at all.
   */
  crossSite?: boolean | undefined;
}

/** The subset of `fetch` the probe uses (injectable for tests). */
export type ProbeFetch = (
  url: string,
  init: {
    mode: 'no-cors';
    credentials: 'omit';
    cache: 'no-store';
    signal: AbortSignal;
  },
) => Promise<unknown>;

/** What the diagnosis reads from the page. Undefined outside a browser. */
export interface BrowserEnvironment {
  location: { origin: string; protocol: string };
  /** `navigator.onLine`; undefined when unknown. */
  onLine?: boolean;
  fetch: ProbeFetch;
}

interface BrowserGlobals {
  document?: unknown;
  location?: { origin: string; protocol: string };
  navigator?: { onLine?: boolean };
  fetch?: ProbeFetch;
}

/** The current page, when running in a browser (a `document` and a `location`). */
export function browserEnvironment(): BrowserEnvironment | undefined {
  const g = globalThis as BrowserGlobals;
  if (g.document === undefined || !g.location || typeof g.fetch !== 'function') return undefined;
  const fetchFn = g.fetch.bind(globalThis);
  return {
    location: g.location,
    onLine: typeof g.navigator?.onLine === 'boolean' ? g.navigator.onLine : undefined,
    fetch: fetchFn,
  };
}

export interface DiagnoseInput {
  /** The API base URL, e.g. http://localhost:4000/api/v1 (its /health is probed). */
  apiUrl: string;
  /** The URL that failed; defaults to apiUrl. */
  url?: string;
  /** How the request failed. */
  kind: 'network' | 'timeout';
  /** The low-level error code if known (ECONNREFUSED, ERR_NETWORK...). */
  cause?: string | undefined;
  probeTimeoutMs?: number;
}

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

/** Scheme plus the last two labels of the host: close enough to the "site" of the browser. */
function siteOf(url: URL): string {
  const host = url.hostname;
  return `${url.protocol}//${IP.test(host) ? host : host.split('.').slice(-2).join('.')}`;
}

function parse(url: string, base?: string): URL | undefined {
  try {
    return new URL(url, base);
  } catch {
    return undefined;
  }
}

/** Resolves true if anything answered an opaque request to `url` within the time limit. */
async function answers(fetchFn: ProbeFetch, url: string, timeoutMs: number): Promise<boolean> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    await fetchFn(url, {
      mode: 'no-cors',
      credentials: 'omit',
      cache: 'no-store',
      signal: controller.signal,
    });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Tells apart, in the browser: offline, mixed content, timeout, server unreachable, and server
 * reachable but the response blocked by CORS — each a finding code of FINDINGS, with the origins
 * and URLs involved. Outside a browser (`env` undefined) it reports a plain network error or
 * timeout. Never throws.
 */
export async function diagnoseConnection(
  input: DiagnoseInput,
  env: BrowserEnvironment | undefined = browserEnvironment(),
): Promise<Diagnosis> {
  const { apiUrl, kind } = input;
  const target = parse(input.url ?? apiUrl, env?.location.origin) ?? parse(apiUrl);
  const seen = { apiUrl, targetOrigin: target?.origin, cause: input.cause };

  if (!env) return { finding: kind === 'timeout' ? 'api_timeout' : 'network_error', ...seen };

  const pageOrigin = env.location.origin;
  const page = {
    ...seen,
    pageOrigin,
    crossSite: target && siteOf(target) !== siteOf(new URL(pageOrigin)),
  };
  if (env.onLine === false) return { finding: 'offline', ...page };
  if (
    env.location.protocol === 'https:' &&
    target?.protocol === 'http:' &&
    !LOOPBACK.test(target.hostname)
  ) {
    return { finding: 'mixed_content', ...page };
  }
  if (kind === 'timeout') return { finding: 'api_timeout', ...page };

  const probeUrl = `${apiUrl.replace(/\/+$/, '')}/health`;
  const reachable = await answers(env.fetch, probeUrl, input.probeTimeoutMs ?? 3_000);
  if (!reachable) return { finding: 'api_unreachable', reachable, ...page };
  // A same-origin request cannot be blocked by CORS.
  const sameOrigin = target?.origin === pageOrigin;
  return { finding: sameOrigin ? 'network_error' : 'cors_blocked', reachable, ...page };
}
