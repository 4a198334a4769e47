import { type ConnectionFinding, type Diagnosis } from '@repo/client';

/** A short title for each way the API can fail to answer the browser. */
export const FINDING_TITLES: Record<ConnectionFinding, string> = {
  unreachable: 'The API cannot be reached',
  cors_blocked: 'The API blocked this page (CORS)',
  mixed_content: 'Blocked as mixed content',
  offline: 'You are offline',
  timeout: 'The API is not answering',
  network_error: 'Network error',
};

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
      title: FINDING_TITLES.network_error,
      hint: `No response from the API at ${apiUrl}. Is it running, and is this page's origin in its CORS_ORIGINS?`,
    };
  }
  const message: ConnectionMessage = {
    title: FINDING_TITLES[diagnosis.finding],
    hint: diagnosis.hint,
  };
  if (diagnosis.finding === 'cors_blocked' && diagnosis.pageOrigin) {
    message.originToAllow = diagnosis.pageOrigin;
  }
  return message;
}
