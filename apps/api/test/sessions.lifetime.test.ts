import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from './support/auth-extras.js';
import { login, refresh, registerVerified } from './support/auth-client.js';
import { expectProblem, sessionIdOfToken } from './support/session-checks.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HOUR_MS = 3_600_000;
/** The sign-in time is the database's clock, the first end the API's: read a moment apart. */
const CLOCKS_APART_MS = 1_000;

describe('the absolute lifetime of a session', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SESSION_MAX_LIFETIME: '1h', RATE_LIMIT_AUTH_PER_IP: '1000' } });
  });
  afterAll(() => t.close());

  const rowOf = async (sessionId: string) =>
    (
      await sql<{ created_at: Date; expires_at: Date }>(
        t,
        'SELECT created_at, expires_at FROM sessions WHERE id = $1',
        [sessionId],
      )
    )[0]!;

  it('never moves the end of a session past its sign-in plus SESSION_MAX_LIFETIME, however often it is refreshed', async () => {
    const session = await login(t, await registerVerified(t));
    const sessionId = sessionIdOfToken(session.accessToken);
    const first = await rowOf(sessionId);
    expect(first.expires_at.getTime() - first.created_at.getTime()).toBeLessThanOrEqual(
      HOUR_MS + CLOCKS_APART_MS,
    );
    const res = await refresh(t, session.cookie);
    expect(res.status).toBe(200);
    const after = await rowOf(sessionId);
    expect(after.expires_at.getTime() - after.created_at.getTime()).toBeLessThanOrEqual(HOUR_MS);
  });

  it('refuses the refresh of a session signed in longer ago than that, though used every day', async () => {
    const session = await login(t, await registerVerified(t));
    const sessionId = sessionIdOfToken(session.accessToken);
    // As the clock would: signed in two hours ago, refreshed a moment ago.
    await sql(
      t,
      `UPDATE sessions SET created_at = now() - interval '2 hours', expires_at = now() + interval '30 days'
        WHERE id = $1`,
      [sessionId],
    );
    await expectProblem(await refresh(t, session.cookie), 401, 'token_expired');
  });
});
