import { nginxForTests } from '@repo/stack';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runDoctor } from '../src/index.js';
import { expectFinding } from './support/expect-report.js';
import { replaceOnce } from './support/patch.js';
import {
  type Database,
  stackSetup,
  startDatabase,
  verifiedUser,
  withStack,
} from './support/setups.js';

/**
 * The catalogue, cookies and WebSockets through the proxy: nginx started from the project's
 * templates with one misconfiguration each, in front of a real API, and the doctor naming it.
 */
describe.runIf(nginxForTests(['the doctor catalogue: cookies and WebSockets at the proxy']))(
  'catalogue: cookies and WebSockets at the proxy',
  () => {
    let db: Database;
    beforeAll(async () => {
      db = await startDatabase();
    });
    afterAll(() => db?.stop());

    it('SameSite=None without Secure: the proxy rewrites the cookie (the API refuses that config) → cookie_samesite_none_without_secure', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                text,
                '    proxy_http_version 1.1;\n',
                '    proxy_http_version 1.1;\n    proxy_cookie_flags ~ nosecure samesite=none;\n',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'cookie_samesite_none_without_secure');
        },
      );
    });

    it('WS upgrade headers not forwarded by the proxy → ws_upgrade_not_forwarded', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                replaceOnce(text, /\n[ \t]*proxy_set_header Upgrade \$http_upgrade;/, ''),
                'proxy_set_header Connection $connection_upgrade;',
                'proxy_set_header Connection "";',
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'ws_upgrade_not_forwarded');
        },
      );
    });

    it('WS Origin not checked: the proxy neither checks nor forwards Origin on /ws → ws_origin_not_checked', async () => {
      await withStack(
        db.url,
        {
          nginx: {
            '40-api.conf': (text) =>
              replaceOnce(
                text,
                /(location = \/ws \{)\s*if \(\$cors_origin_status = foreign\) \{\n(?:.*\n)*?[ \t]*\}(?=\n)/,
                // proxy_set_header in a location replaces the server's list: the upgrade headers
                // are repeated, so only the Origin check is missing.
                [
                  '$1',
                  '        proxy_set_header Host $host;',
                  '        proxy_set_header Connection $connection_upgrade;',
                  '        proxy_set_header Upgrade $http_upgrade;',
                  '        proxy_set_header Origin "";',
                ].join('\n'),
              ),
          },
        },
        async (stack) => {
          const report = await runDoctor(stackSetup(stack, await verifiedUser(stack.apiUrl)));
          expectFinding(report, 'ws_origin_not_checked');
        },
      );
    });

    it('a proxy read timeout shorter than the heartbeat → ws_idle_closed', async () => {
      await withStack(
        db.url,
        { apiEnv: { WS_HEARTBEAT_MS: '3000' }, nginxEnv: { NGINX_WS_READ_TIMEOUT: '1s' } },
        async (stack) => {
          const report = await runDoctor(
            stackSetup(stack, await verifiedUser(stack.apiUrl), { idleMs: 'heartbeat' }),
          );
          expectFinding(report, 'ws_idle_closed');
        },
      );
    });
  },
);
