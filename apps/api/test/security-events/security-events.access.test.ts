import { contract, type SecurityEvent, TOTAL_COUNT_HEADER } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';
import { eventsOf } from './security-events.client.js';

const { securityEvents } = contract;

describe('reading the audit log', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    w = new World(t);
  });
  afterAll(() => t.close());

  it('pages newest first, without overlap or gap, with the total in X-Total-Count', async () => {
    const user = await w.user();
    for (let i = 0; i < 5; i++) await w.apiKey(user);
    const all = await eventsOf(w, user);
    // 5 keys, a sign-in, the email confirmed.
    expect(all).toHaveLength(7);
    const times = all.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(all.at(-1)?.type).toBe('email_verified');

    const pages: SecurityEvent[][] = [];
    for (const page of [1, 2, 3, 4]) {
      const reply = await w.expect(`page ${page}`, securityEvents.list, 'success', {
        as: user,
        query: { page, pageSize: 2 },
      });
      expect(reply.headers.get(TOTAL_COUNT_HEADER)).toBe('7');
      pages.push(reply.json() as SecurityEvent[]);
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat().map((e) => e.id)).toEqual(all.map((e) => e.id));
  });

  it('shows a user their own events only', async () => {
    const [ada, bob] = [await w.user(), await w.user()];
    await w.apiKey(ada);
    const adas = new Set((await eventsOf(w, ada)).map((e) => e.id));
    const bobs = await eventsOf(w, bob);
    expect(bobs.map((e) => e.type)).toEqual(['login_succeeded', 'email_verified']);
    expect(bobs.filter((e) => adas.has(e.id))).toEqual([]);
    const reply = await w.expect('bob, page 1', securityEvents.list, 'success', { as: bob });
    expect(reply.headers.get(TOTAL_COUNT_HEADER)).toBe('2');
  });

  it('refuses API keys: the log is for the account’s owner in a session', async () => {
    const user = await w.user();
    const key = await w.apiKey(user, ['read', 'write']);
    await w.expect('with a key', securityEvents.list, [401, 'api_key_invalid'], {
      as: { apiKey: key.secret },
    });
  });
});
