import { nginxForTests } from '@repo/stack';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runDoctor } from '../src/index.js';
import { expectFinding, expectNoFinding } from './support/expect-report.js';
import { replaceOnce } from './support/patch.js';
import {
  type Database,
  stackSetup,
  verifiedUser,
  startDatabase,
  withStack,
} from './support/setups.js';

/**
 * The catalogue, CORS at the proxy: nginx started from the project's templates with one
 * misconfiguration each, in front of a real API, and the doctor naming it with its code.
 */
describe.runIf(nginxForTests(['the doctor catalogue: CORS at the proxy']))(
  'catalogue: CORS at the proxy',
  () => {
    let db: Database;
    beforeAll(async () => {
      db = await startDatabase();
    });
    afterAll(() => db?.stop());

    it('wildcard with credentials: nginx sends Access-Control-Allow-Origin: * → cors_wildcard_with_credentials', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                text,
                'add_header Access-Control-Allow-Origin $cors_allow_origin always;',
                'add_header Access-Control-Allow-Origin * always;',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'cors_wildcard_with_credentials');
        },
      );
    });

    it('duplicate ACAO: the API in CORS_MODE=app behind a proxy that does not hide its headers → cors_duplicate_allow_origin', async () => {
      await withStack(
        db.url,
        {
          apiEnv: { CORS_MODE: 'app' },
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                text,
                /(\n[ \t]*proxy_hide_header Access-Control-[A-Za-z-]+;)+/,
                '\n    # (the upstream CORS headers are not hidden)',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'cors_duplicate_allow_origin');
        },
      );
    });

    it('OPTIONS not answered by the proxy: nginx passes preflights to an API in proxy mode → cors_preflight_not_answered', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                replaceOnce(
                  text,
                  /\n[ \t]*if \(\$cors_preflight = refused\) \{\n(?:.*\n)*?[ \t]*\}(?=\n)/,
                  '',
                ),
                /\n[ \t]*if \(\$cors_preflight = allowed\) \{\n(?:.*\n)*?[ \t]*\}(?=\n)/,
                '',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'cors_preflight_not_answered');
        },
      );
    });

    it('an API reflecting any origin: the origin map allows by default → cors_reflects_any_origin', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '20-cors.conf': (text) =>
              replaceOnce(
                text,
                /(map \$http_origin \$cors_origin_status \{\s*)default foreign;/,
                '$1default allowed;',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'cors_reflects_any_origin');
          // The web origin itself is served correctly: only the foreign one gives it away.
          expectNoFinding(report, 'cors_preflight_refused');
        },
      );
    });
  },
);
