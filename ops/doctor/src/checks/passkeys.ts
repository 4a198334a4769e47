import { passkeyOriginProblems, passkeyRpId } from '@repo/contracts';
import { type CheckResult, type DoctorSetup, finding, pass } from '../model.js';

/**
 * Whether passkeys can work from the web origins: the API takes its RP ID from the web origin
 * (the first one) and accepts ceremonies from the others it allows. The rule is the API's own
 * (@repo/contracts), which also logs it at start.
 */
export function passkeyChecks(setup: DoctorSetup): CheckResult[] {
  const [web, ...others] = setup.origins;
  if (!web) return [];
  const extra = [...new Set([...others, ...(setup.config?.corsOrigins ?? [])])].filter(
    (origin) => origin !== web && origin !== '*',
  );
  const problems = passkeyOriginProblems(web, extra);
  if (problems.length > 0) {
    return problems.map(({ origin, reason }) =>
      finding('config_passkey_origin', `passkeys from ${origin}`, `${origin}: ${reason}`),
    );
  }
  return [
    pass(
      'config',
      'passkeys',
      `RP ID ${passkeyRpId(web)}: passkeys work from ${[web, ...extra].join(', ')}`,
    ),
  ];
}
