import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { SecurityEventsService } from '../../src/security-events/security-events.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';
import { eventsOf } from './security-events.client.js';

describe('the retention of the audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { SECURITY_EVENTS_RETENTION_DAYS: '30' } });
  });
  afterAll(() => t.close());

  it('prunes the events older than SECURITY_EVENTS_RETENTION_DAYS, keeps the rest', async () => {
    const w = new World(t);
    const user = await w.user();
    const db = t.app.get(DataSource);
    const insert = (type: string, daysAgo: number) =>
      db.query(
        `INSERT INTO security_events (user_id, type, created_at, details)
         VALUES ($1, $2, now() - make_interval(days => $3), '{}')`,
        [user.id, type, daysAgo],
      );
    await insert('api_key_revoked', 31);
    await insert('api_key_created', 29);
    expect((await eventsOf(w, user)).map((e) => e.type)).toContain('api_key_revoked');

    expect(await t.app.get(SecurityEventsService).prune()).toBeGreaterThanOrEqual(1);

    expect((await eventsOf(w, user)).map((e) => e.type)).toEqual([
      'login_succeeded',
      'email_verified',
      'api_key_created',
    ]);
  });
});
