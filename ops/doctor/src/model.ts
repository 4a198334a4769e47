import { FINDINGS, type FindingArea, type FindingCode } from '@repo/client/diagnosis';

/** pass ✓, warn !, fail ✗; skip –: not checked (said why). */
export type Status = 'pass' | 'warn' | 'fail' | 'skip';

/** A request the doctor made and what came back: the proof behind a result. */
export interface Evidence {
  /** e.g. "OPTIONS http://localhost:4000/api/v1/auth/login  Origin: http://localhost:3000" */
  request: string;
  status?: number;
  /** Response headers as sent (names lower-cased, duplicates kept), the relevant ones. */
  headers?: [string, string][];
  note?: string;
}

export interface CheckResult {
  area: FindingArea;
  /** What was checked, e.g. "preflight from http://localhost:3000". */
  name: string;
  status: Status;
  /** The finding, when the status is warn or fail. */
  code?: FindingCode;
  /** What was seen, in one sentence. */
  detail: string;
  /** The exact fix, when there is something to fix. */
  fix?: string;
  evidence?: Evidence[];
  /** How long the step took. */
  ms?: number;
}

/** What the doctor checks: the deployment as the browser sees it, and its configuration. */
export interface DoctorSetup {
  /** The API base URL, prefix included (NEXT_PUBLIC_API_URL). */
  apiUrl: string;
  /** The WebSocket URL (NEXT_PUBLIC_WS_URL). */
  wsUrl: string;
  /** The web origins that call the API. */
  origins: string[];
  /** The configuration, where known (from .env / the environment); absent against a remote. */
  config?: {
    corsOrigins?: string[];
    cookieSameSite?: string;
    cookieSecure?: boolean;
    nodeEnv?: string;
    /** Names of variables production refuses to run with as they are (dev defaults). */
    devDefaults?: string[];
  };
  /** An account to check login, the refresh cookie and logout with (`demo`: the seeded one). */
  credentials?: { email: string; password: string; demo?: boolean };
  /** Per request. */
  timeoutMs: number;
  /**
   * How long to keep a WebSocket idle: 'heartbeat' is the server's ping interval plus 5 s (it
   * says the interval when the socket is ready); false skips that check.
   */
  idleMs: number | 'heartbeat' | false;
}

/** A failing or warning result for a finding: its fix from the shared table unless given. */
export function finding(
  code: FindingCode,
  name: string,
  detail: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  const info = FINDINGS[code];
  return {
    area: info.area,
    name,
    status: info.severity === 'error' ? 'fail' : 'warn',
    code,
    detail,
    fix: info.fix,
    ...extra,
  };
}

export function pass(
  area: FindingArea,
  name: string,
  detail: string,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return { area, name, status: 'pass', detail, ...extra };
}

export function skip(area: FindingArea, name: string, detail: string): CheckResult {
  return { area, name, status: 'skip', detail };
}
