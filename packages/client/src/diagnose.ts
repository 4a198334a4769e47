/**
 * Why a request got no response at all. A browser reports an unreachable server and a response
 * it threw away because of CORS the same way (a bare "Network Error"), so in the browser this
 * asks the server once more in a way CORS does not block: an opaque `no-cors` fetch. If that one
 * succeeds the server is up and CORS is what stopped the real request.
 */

import { FINDINGS, type FindingCode, type FindingInfo } from '@repo/contracts';

/** The finding codes a browser can tell by itself (`browser: true` in FINDINGS). */
export type ConnectionFinding = {
  [C in FindingCode]: (typeof FINDINGS)[C] extends { browser: true } ? C : never;
}[FindingCode];

/**
 * Every finding the diagnosis reports, for a connection banner to switch on: api_unreachable,
 * cors_blocked, mixed_content, offline, api_timeout, network_error. Their titles and generic
 * fixes are in FINDINGS; docs/troubleshooting.md explains each.
 */
export const CONNECTION_FINDINGS: readonly ConnectionFinding[] = (
  Object.keys(FINDINGS) as FindingCode[]
).filter((code): code is ConnectionFinding => (FINDINGS[code] as FindingInfo).browser === true);

/** Where a developer goes next: the doctor checks every step and names the failing one. */
export const DOCTOR_HINT = 'Run `pnpm run doctor` for the full check.';

export interface Diagnosis {
  finding: ConnectionFinding;
  /** For a developer: what was seen, naming the URL or origin, and the fix. */
  hint: string;
  /** The API base URL the client was configured with. */
  apiUrl: string;
  /** The page's origin, in a browser. */
  pageOrigin?: string;
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
 * reachable but the response blocked by CORS — each a finding code of FINDINGS, with a hint that
 * names the URL or origin and the fix. Outside a browser (`env` undefined) it reports a plain
 * network error or timeout. Never throws.
 */
export async function diagnoseConnection(
  input: DiagnoseInput,
  env: BrowserEnvironment | undefined = browserEnvironment(),
): Promise<Diagnosis> {
  const { apiUrl, kind } = input;
  const target = parse(input.url ?? apiUrl, env?.location.origin) ?? parse(apiUrl);
  const cause = input.cause ? ` (${input.cause})` : '';

  if (!env) {
    return kind === 'timeout'
      ? {
          finding: 'api_timeout',
          hint: `No answer from ${apiUrl} in time. ${FINDINGS.api_timeout.fix}`,
          apiUrl,
        }
      : {
          finding: 'network_error',
          hint: `Could not reach ${target?.origin ?? apiUrl}${cause}: is the API running at ${apiUrl}?`,
          apiUrl,
        };
  }

  const pageOrigin = env.location.origin;
  const base = { apiUrl, pageOrigin };
  if (env.onLine === false) {
    return { finding: 'offline', hint: `The browser is offline. ${FINDINGS.offline.fix}`, ...base };
  }
  if (
    env.location.protocol === 'https:' &&
    target?.protocol === 'http:' &&
    !LOOPBACK.test(target.hostname)
  ) {
    return {
      finding: 'mixed_content',
      hint: `This page is served over https but the API URL ${apiUrl} is http: browsers block such requests (mixed content). ${FINDINGS.mixed_content.fix}`,
      ...base,
    };
  }
  if (kind === 'timeout') {
    return {
      finding: 'api_timeout',
      hint: `The API at ${apiUrl} did not answer in time. ${FINDINGS.api_timeout.fix}`,
      ...base,
    };
  }

  const probeUrl = `${apiUrl.replace(/\/+$/, '')}/health`;
  const reachable = await answers(env.fetch, probeUrl, input.probeTimeoutMs ?? 3_000);
  const sameOrigin = target?.origin === pageOrigin;
  if (reachable && !sameOrigin) {
    return {
      finding: 'cors_blocked',
      hint: `The API at ${target?.origin ?? apiUrl} is reachable, but the browser blocked its response (CORS): add ${pageOrigin} to CORS_ORIGINS of the API (exact origin, comma-separated list) and restart it (and nginx behind a proxy). ${DOCTOR_HINT}`,
      ...base,
    };
  }
  if (reachable) {
    return {
      finding: 'network_error',
      hint: `The API at ${apiUrl} answers, but this request got no response${cause}: was the connection cut by a proxy, or the request blocked by an extension? ${DOCTOR_HINT}`,
      ...base,
    };
  }
  const crossSite = target !== undefined && siteOf(target) !== siteOf(new URL(pageOrigin));
  return {
    finding: 'api_unreachable',
    hint:
      `Is the API running at ${apiUrl}? ${FINDINGS.api_unreachable.fix}` +
      (crossSite
        ? ` If it is running: this page (${pageOrigin}) and the API are on different sites, where a blocked response looks the same as no server — check that ${pageOrigin} is in CORS_ORIGINS.`
        : ''),
    ...base,
  };
}
