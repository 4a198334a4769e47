import { DEMO_USER } from '@repo/test-support';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoUser } from '../src/core/database/seed.js';
import { post } from './support/auth-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('the demo user seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('creates, once, the verified account the doctor logs in with by default', async () => {
    expect(await seedDemoUser(t.app.get(DataSource))).toBe(true);
    expect(await seedDemoUser(t.app.get(DataSource))).toBe(false);
    const res = await post(t, '/auth/login', DEMO_USER);
    expect(res.status).toBe(200);
  });
});
