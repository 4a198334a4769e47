import { type ConnectionFinding, type Diagnosis, DOCTOR_HINT } from '@repo/client';
import { FINDINGS } from '@repo/contracts';

/** The short title of a finding, as `pnpm run doctor` and docs/troubleshooting.md name it. */
export const findingTitle = (finding: ConnectionFinding): string => FINDINGS[finding].title;

export interface ConnectionMessage {
  title: string;
  /** What to fix, naming the exact origin or URL. */
  hint: string;
  /** For a CORS block: the exact origin to add to the API's CORS_ORIGINS. */
  originToAllow?: string;
}

/** What the connection banner says for a diagnosis (or for a failure nobody diagnosed). */
export function connectionMessage(
  diagnosis: Diagnosis | undefined,
  apiUrl: string,
): ConnectionMessage {
  if (!diagnosis) {
    return {
      title: findingTitle('network_error'),
      hint: `No response from the API at ${apiUrl}. Is it running, and is this page's origin in its CORS_ORIGINS? ${DOCTOR_HINT}`,
    };
  }
  const message: ConnectionMessage = {
    title: findingTitle(diagnosis.finding),
    hint: diagnosis.hint,
  };
  if (diagnosis.finding === 'cors_blocked' && diagnosis.pageOrigin) {
    message.originToAllow = diagnosis.pageOrigin;
  }
  return message;
}

/** A hint cut into plain text and `code` (the parts between backticks), to show commands as code. */
export function hintParts(hint: string): { text: string; code: boolean }[] {
  const pieces = hint.split('`');
  // An odd number of backticks: the last one opens nothing.
  if (pieces.length % 2 === 0) return [{ text: hint, code: false }];
  return pieces.map((text, i) => ({ text, code: i % 2 === 1 })).filter((part) => part.text !== '');
}
