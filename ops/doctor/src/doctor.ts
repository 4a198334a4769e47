import { configChecks } from './checks/config.js';
import { cookieChecks } from './checks/cookies.js';
import { corsChecks } from './checks/cors.js';
import { reachabilityChecks } from './checks/reachability.js';
import { websocketChecks } from './checks/websocket.js';
import { type CheckResult, type DoctorSetup, skip } from './model.js';

export interface Report {
  setup: DoctorSetup;
  results: CheckResult[];
  /** No result failed (warnings allowed). */
  ok: boolean;
  counts: Record<CheckResult['status'], number>;
}

/** Every check, in order: configuration, reachability, then CORS, cookies and WebSocket together. */
export async function runDoctor(setup: DoctorSetup): Promise<Report> {
  const results = configChecks(setup);
  const reachability = await reachabilityChecks(setup);
  results.push(...reachability.results);
  if (reachability.reachable) {
    const later = await Promise.all([
      corsChecks(setup),
      cookieChecks(setup),
      websocketChecks(setup),
    ]);
    results.push(...later.flat());
  } else {
    for (const area of ['cors', 'cookies', 'websocket'] as const) {
      results.push(skip(area, area === 'cors' ? 'CORS' : area, 'the API cannot be reached'));
    }
  }
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return { setup, results, ok: counts.fail === 0, counts };
}
