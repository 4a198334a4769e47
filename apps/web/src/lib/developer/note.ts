import { type Diagnosis } from '@repo/client';
import { developerHint, FINDINGS, type FindingCode, undiagnosedHint } from '@repo/client/diagnosis';

/** What a developer is told about a connection problem, by the codes of `pnpm run doctor`. */
export interface DeveloperNote {
  finding: FindingCode;
  /** The finding's title, as the doctor and docs/troubleshooting.md name it. */
  title: string;
  /** What was seen and the fix, naming the URL or origin; commands in backticks. */
  hint: string;
  /** For a CORS block: the exact origin to add to the API's CORS_ORIGINS. */
  originToAllow?: string;
}

/**
 * What a note is about: a failed request with the ApiClient's diagnosis (undefined when nothing
 * diagnosed it), or a finding the web app told by itself (a timeout, a wrong base path).
 */
export type DeveloperSubject =
  { diagnosis: Diagnosis | undefined; apiUrl: string } | { finding: FindingCode };

export function developerNote(subject: DeveloperSubject): DeveloperNote {
  if ('finding' in subject) {
    const { title, fix } = FINDINGS[subject.finding];
    return { finding: subject.finding, title, hint: fix };
  }
  const { diagnosis, apiUrl } = subject;
  if (!diagnosis) {
    return {
      finding: 'network_error',
      title: FINDINGS.network_error.title,
      hint: undiagnosedHint(apiUrl),
    };
  }
  const note: DeveloperNote = {
    finding: diagnosis.finding,
    title: FINDINGS[diagnosis.finding].title,
    hint: developerHint(diagnosis),
  };
  if (diagnosis.finding === 'cors_blocked' && diagnosis.pageOrigin) {
    note.originToAllow = diagnosis.pageOrigin;
  }
  return note;
}
