import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { contract } from '@repo/contracts';
import { newCredentials } from '@repo/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { auth } = contract;
const ROUNDS = 20;

/** A stand-in for the Pwned Passwords range API (unreachable from here) that lists nothing. */
async function emptyRangeApi() {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end('0018A45C4D1DEF81644B54AB7F969B88D65:1');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    asked,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;

/**
 * Registration and login times with the breached-password check on (against a local stand-in, so
 * the figure is the check's own cost, not a network's) and off. Only setting a password runs the
 * check: login never asks the range API. The figures go to the test's output.
 */
describe('registration and login times with the breached-password check on and off', () => {
  let standIn: Awaited<ReturnType<typeof emptyRangeApi>>;
  const apps = new Map<'on' | 'off', { t: TestApp; w: World }>();
  beforeAll(async () => {
    standIn = await emptyRangeApi();
    for (const [mode, env] of [
      ['off', {}],
      ['on', { BREACHED_PASSWORD_CHECK: 'true', PWNED_PASSWORDS_URL: standIn.url }],
    ] as const) {
      const t = await startTestApp({ env: { ...NO_RATE_LIMITS, ...env } });
      apps.set(mode, { t, w: new World(t) });
    }
  });
  afterAll(async () => {
    await Promise.all([...apps.values()].map(({ t }) => t.close()));
    await standIn.close();
  });

  it(`measures ${ROUNDS} registrations and logins each`, async () => {
    const took = {
      register: { on: [] as number[], off: [] as number[] },
      login: { on: [] as number[], off: [] as number[] },
    };
    const timed = async (
      step: keyof typeof took,
      mode: 'on' | 'off',
      send: () => Promise<unknown>,
    ) => {
      const started = performance.now();
      await send();
      took[step][mode].push(performance.now() - started);
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['off', 'on'] as const) {
        const { w } = apps.get(mode)!;
        const credentials = newCredentials();
        await timed('register', mode, () =>
          w.expect(`register (check ${mode})`, auth.register, 'success', { body: credentials }),
        );
        // The account work (its hash) ends before the next request starts.
        const token = await w.mailedToken(credentials.email, /Confirm/);
        await w.expect('verify email', auth.verifyEmail, 'success', { body: { token } });
        await timed('login', mode, () => w.login(credentials));
      }
    }
    const figures = (step: keyof typeof took) =>
      Object.fromEntries(
        (['off', 'on'] as const).map((mode) => [
          mode,
          {
            median: percentile(took[step][mode], 0.5).toFixed(1),
            p95: percentile(took[step][mode], 0.95).toFixed(1),
          },
        ]),
      );
    process.stdout.write(
      `[passwords] ms, ${ROUNDS} each: POST /auth/register ${JSON.stringify(figures('register'))}, POST /auth/login ${JSON.stringify(figures('login'))}\n`,
    );
    // The figures are for reading (timing is pnpm bench's business); what is checked is that the
    // "on" API asked the range API once per registration, by a 5-hex prefix only, and never at
    // login.
    expect(standIn.asked).toHaveLength(ROUNDS);
    for (const path of standIn.asked) expect(path).toMatch(/^\/range\/[0-9A-F]{5}$/);
  });
});
