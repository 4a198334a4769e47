import { disposeClients, rejection } from '@repo/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../client/helpers.js';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The typed client's calls of the notes, against the real API. */
describe('notes through the ApiClient', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
  });
  afterEach(() => disposeClients());
  afterAll(() => t?.close());

  it('lists notes with the total from X-Total-Count', async () => {
    const { client } = await loggedIn(t);
    for (const title of ['one', 'two', 'three']) await client.notes.create({ body: { title } });
    const page = await client.notes.list({ query: { page: 1, pageSize: 2 } });
    expect(page.total).toBe(3);
    expect(page.data).toHaveLength(2);
    expect(page).toMatchObject({ page: 1, pageSize: 2 });
    const second = await client.notes.list({ query: { page: 2, pageSize: 2 } });
    expect(second.data).toHaveLength(1);
    expect(second.total).toBe(3);
  });

  it('turns the notes’ refusals into ApiErrors: invalid, missing, stale', async () => {
    const { client } = await loggedIn(t);
    const invalid = await rejection(client.notes.create({ body: { title: '   ' } }));
    expect(invalid.isValidationError()).toBe(true);
    expect(Object.keys(invalid.fieldErrors)).toContain('title');

    const missing = await rejection(
      client.notes.get({ params: { id: '00000000-0000-4000-8000-000000000000' } }),
    );
    expect(missing.isNotFound()).toBe(true);

    const note = await client.notes.create({ body: { title: 'v1' } });
    await client.notes.update({
      params: { id: note.id },
      body: { title: 'v2', version: note.version },
    });
    const stale = await rejection(
      client.notes.update({
        params: { id: note.id },
        body: { title: 'v3', version: note.version },
      }),
    );
    expect(stale).toMatchObject({ status: 409, code: 'version_conflict' });
  });
});
