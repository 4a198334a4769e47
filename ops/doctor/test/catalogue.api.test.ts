import { freePort } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../src/index.js';
import { expectFinding, expectNoFinding } from './support/expect-report.js';
import {
  type Credentials,
  type Database,
  type DevApi,
  doctorSetup,
  startDatabase,
  startDevApi,
  verifiedUser,
} from './support/setups.js';

/**
 * The catalogue, without a proxy: misconfigurations of the API itself or of the URLs the web app
 * is given, each started for real (`pnpm dev`'s API) and named by the doctor with its code.
 */
const WEB = 'http://localhost:3000';
/** Another site than localhost (SameSite compares sites, not origins). */
const OTHER_SITE_WEB = 'http://127.0.0.1:3000';

let db: Database;
/** A dev API allowing both web origins. */
let api: DevApi;
let user: Credentials;

beforeAll(async () => {
  db = await startDatabase();
  api = await startDevApi(db.url, { CORS_ORIGINS: `${WEB},${OTHER_SITE_WEB}` });
  user = await verifiedUser(api.apiUrl);
});
afterAll(async () => {
  await api?.stop();
  await db?.stop();
});

describe('the web origin missing from the allowlist', () => {
  let narrow: DevApi;
  beforeAll(async () => {
    narrow = await startDevApi(db.url, { CORS_ORIGINS: 'http://localhost:3999' });
  });
  afterAll(() => narrow?.stop());

  it('is cors_preflight_refused from the API alone, and config_origin_not_allowed from its config', async () => {
    const seen = {
      apiUrl: narrow.apiUrl,
      wsUrl: narrow.wsUrl,
      origins: [WEB],
      credentials: user,
    };
    // Against a remote: the answer alone tells it.
    const remote = await runDoctor(doctorSetup(seen));
    expectFinding(remote, 'cors_preflight_refused');

    // Locally: the configuration already tells it, before any request.
    const local = await runDoctor(
      doctorSetup({
        ...seen,
        config: { corsOrigins: ['http://localhost:3999'], nodeEnv: 'development' },
      }),
    );
    expectFinding(local, 'config_origin_not_allowed');
    expectFinding(local, 'cors_preflight_refused');
  });
});

describe('the API down', () => {
  it('is api_unreachable when nothing listens on the port, and nothing else is checked', async () => {
    const port = await freePort();
    const report = await runDoctor(
      doctorSetup({
        apiUrl: `http://localhost:${port}/api/v1`,
        wsUrl: `ws://localhost:${port}/ws`,
        origins: [WEB],
        config: { corsOrigins: [WEB], nodeEnv: 'development' },
        credentials: user,
      }),
    );
    expectFinding(report, 'api_unreachable');
    expectNoFinding(report, 'api_wrong_base_path');
    for (const area of ['cors', 'cookies', 'websocket'])
      expect(report.results.filter((r) => r.area === area).map((r) => r.status)).toEqual(['skip']);
  });
});

describe('a wrong API base path', () => {
  it.each([
    ['another version', '/api/v2'],
    ['no prefix', ''],
  ])(
    'is api_wrong_base_path, not api_unreachable (%s), with the right URL in the fix',
    async (_, prefix) => {
      const report = await runDoctor(
        doctorSetup({
          apiUrl: `${api.origin}${prefix}`,
          wsUrl: api.wsUrl,
          origins: [WEB],
          credentials: user,
        }),
      );
      expectFinding(report, 'api_wrong_base_path');
      expectNoFinding(report, 'api_unreachable');
      const result = report.results.find((r) => r.code === 'api_wrong_base_path');
      expect(result?.fix).toContain(api.apiUrl);
    },
  );
});

describe('cross-site origins with SameSite=Lax', () => {
  it('is config_cookie_cross_site for a web origin on another site, although CORS allows it', async () => {
    const report = await runDoctor(
      doctorSetup({
        apiUrl: api.apiUrl,
        wsUrl: api.wsUrl,
        origins: [OTHER_SITE_WEB],
        config: {
          corsOrigins: [WEB, OTHER_SITE_WEB],
          nodeEnv: 'development',
          cookieSameSite: 'lax',
        },
        credentials: user,
      }),
    );
    expectFinding(report, 'config_cookie_cross_site');
    // CORS itself is right: the origin is allowed.
    expectNoFinding(report, 'config_origin_not_allowed');
    expectNoFinding(report, 'cors_preflight_refused');
  });
});
