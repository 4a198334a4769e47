/**
 * Which web origins passkeys can work from. A passkey belongs to an RP ID, a domain name: the API
 * uses the web origin's hostname. The browser then lets a page use passkeys only when the page is a
 * secure context (https, or http on localhost) and its host is the RP ID or a subdomain of it.
 * Pure, so that the API (a warning at start) and the doctor apply the same rule.
 */

export interface PasskeyOriginProblem {
  origin: string;
  /** Why a browser on that origin will refuse to create or use a passkey. */
  reason: string;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** scheme://host[:port], as the API's configuration holds origins (no URL here: no DOM or Node lib). */
const ORIGIN = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^:/?#@[\]\s]+)(?::\d{1,5})?$/i;

function parseOrigin(origin: string): { scheme: string; host: string } | undefined {
  const match = ORIGIN.exec(origin);
  return match ? { scheme: match[1]!.toLowerCase(), host: match[2]!.toLowerCase() } : undefined;
}

/** Hosts browsers treat as secure over plain http. */
const isLoopback = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]';

/** The RP ID for a web origin: its hostname. */
export const passkeyRpId = (webOrigin: string): string => {
  const parsed = parseOrigin(webOrigin);
  if (!parsed) throw new Error(`Not an origin: ${webOrigin}`);
  return parsed.host;
};

/**
 * What keeps passkeys from working on each origin, with the RP ID taken from `webOrigin`;
 * `otherOrigins` are the other web origins the API accepts (its CORS_ORIGINS). Empty: all fine.
 */
export function passkeyOriginProblems(
  webOrigin: string,
  otherOrigins: readonly string[] = [],
): PasskeyOriginProblem[] {
  const problems: PasskeyOriginProblem[] = [];
  const web = parseOrigin(webOrigin);
  if (!web) return [{ origin: webOrigin, reason: 'it is not an origin (scheme://host[:port])' }];
  const rpId = web.host;
  // IPv6 hosts come in brackets.
  if (IPV4.test(rpId) || rpId.startsWith('[')) {
    problems.push({
      origin: webOrigin,
      reason: `its host ${rpId} is an IP address, and an RP ID must be a domain name (use localhost or a domain)`,
    });
  }
  for (const origin of new Set([webOrigin, ...otherOrigins])) {
    const parsed = parseOrigin(origin);
    if (!parsed) {
      problems.push({ origin, reason: 'it is not an origin (scheme://host[:port])' });
      continue;
    }
    const host = parsed.host;
    if (parsed.scheme !== 'https' && !isLoopback(host)) {
      problems.push({
        origin,
        reason: 'passkeys need https (plain http works on localhost only)',
      });
    }
    if (origin !== webOrigin && host !== rpId && !host.endsWith(`.${rpId}`)) {
      problems.push({
        origin,
        reason: `its host ${host} is neither the RP ID ${rpId} (the host of ${webOrigin}) nor a subdomain of it`,
      });
    }
  }
  return problems;
}
