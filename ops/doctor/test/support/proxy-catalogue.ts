import { type FindingCode } from '@repo/client/diagnosis';
import { nginxForTests } from '@repo/stack';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type DoctorSetup, type Report, runDoctor } from '../../src/index.js';
import { expectFinding } from './expect-report.js';
import {
  type Database,
  type StackCase,
  stackSetup,
  startDatabase,
  verifiedUser,
  withStack,
} from './setups.js';

export interface ProxyCase extends StackCase {
  /** Overrides of the doctor's setup, e.g. the idle check. */
  doctor?: Partial<DoctorSetup>;
  /** More to check on the report. */
  also?: (report: Report) => void;
}

/**
 * Catalogue cases at the proxy, sharing one PostgreSQL: for each, the stack started with that
 * misconfiguration, the doctor run as a verified user, and the code it must name.
 */
export function proxyCatalogue(title: string, cases: [string, FindingCode, ProxyCase][]) {
  describe.runIf(nginxForTests([title]))(title, () => {
    let db: Database;
    beforeAll(async () => {
      db = await startDatabase();
    });
    afterAll(() => db?.stop());

    it.each(cases)('%s → %s', (_, code, setup) =>
      withStack(db.url, setup, async (stack) => {
        const credentials = await verifiedUser(stack.apiUrl);
        const report = await runDoctor(stackSetup(stack, credentials, setup.doctor));
        expectFinding(report, code);
        setup.also?.(report);
      }),
    );
  });
}
