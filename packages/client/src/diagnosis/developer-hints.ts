/**
 * A diagnosis in a developer's words: what was seen, naming the URL or origin, and the fix, with
 * the environment variables and commands it takes. Reached only through the
 * `@repo/client/diagnosis` entry, so that what the web app ships to visitors never carries them.
 */

import { type Diagnosis } from './diagnose.js';
import { FINDINGS } from './findings.js';

/** Where a developer goes next: the doctor checks every step and names the failing one. */
export const DOCTOR_HINT = 'Run `pnpm run doctor` for the full check.';

/** What a developer should check or change for this diagnosis (commands in backticks). */
export function developerHint(diagnosis: Diagnosis): string {
  const { apiUrl, pageOrigin } = diagnosis;
  const cause = diagnosis.cause ? ` (${diagnosis.cause})` : '';
  switch (diagnosis.finding) {
    case 'offline':
      return `The browser is offline. ${FINDINGS.offline.fix}`;
    case 'mixed_content':
      return `This page is served over https but the API URL ${apiUrl} is http: browsers block such requests (mixed content). ${FINDINGS.mixed_content.fix}`;
    case 'api_timeout':
      return `The API at ${apiUrl} did not answer in time. ${FINDINGS.api_timeout.fix}`;
    case 'cors_blocked':
      return `The API at ${diagnosis.targetOrigin ?? apiUrl} is reachable, but the browser blocked its response (CORS): add ${pageOrigin} to CORS_ORIGINS of the API (exact origin, comma-separated list) and restart it (and nginx behind a proxy). ${DOCTOR_HINT}`;
    case 'network_error':
      return diagnosis.reachable
        ? `The API at ${apiUrl} answers, but this request got no response${cause}: was the connection cut by a proxy, or the request blocked by an extension? ${DOCTOR_HINT}`
        : `Could not reach ${diagnosis.targetOrigin ?? apiUrl}${cause}: is the API running at ${apiUrl}?`;
    case 'api_unreachable':
      return (
        `Is the API running at ${apiUrl}? ${FINDINGS.api_unreachable.fix}` +
        (diagnosis.crossSite
          ? ` If it is running: this page (${pageOrigin}) and the API are on different sites, where a blocked response looks the same as no server — check that ${pageOrigin} is in CORS_ORIGINS.`
          : '')
      );
  }
}

/** For a request that failed without a diagnosis (outside the ApiClient). */
export function undiagnosedHint(apiUrl: string): string {
  return `No response from the API at ${apiUrl}. Is it running, and is this page's origin in its CORS_ORIGINS? ${DOCTOR_HINT}`;
}
