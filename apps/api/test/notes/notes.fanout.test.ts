import { noteSchema, NOTES_CHANGED, notesChangedSchema, userTopic } from '@repo/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, post } from '../support/auth-client.js';
import { NO_RATE_LIMITS, send } from '../support/auth-extras.js';
import { eventsOf, socketPool, type TestUser, twoInstances } from '../support/realtime-helpers.js';
import { type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/** A note changed through one API instance reaches the owner's sockets on another. */
describe('notes.changed across two API instances on one database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let instances: Awaited<ReturnType<typeof twoInstances>>;
  let a: TestApp;
  let b: TestApp;
  let alice: TestUser;
  const sockets = socketPool();

  beforeAll(async () => {
    database = await createTestDatabase();
    instances = await twoInstances(database.url, NO_RATE_LIMITS);
    ({ a, b, alice } = instances);
  });
  afterEach(() => sockets.terminateAll());
  afterAll(async () => {
    sockets.terminateAll();
    await instances?.close();
    await database?.drop();
  });

  it('delivers notes.changed on B for notes created, updated and deleted through A', async () => {
    const onB = await sockets.authed(b, alice.session.accessToken);
    const auth = bearer(alice.session.accessToken);
    const changes = (count: number) =>
      expect.poll(() => eventsOf(onB, NOTES_CHANGED).length, { timeout: 5_000 }).toBe(count);

    const created = await post(a, '/notes', { title: 'From A' }, auth);
    expect(created.status).toBe(201);
    const note = noteSchema.parse(await created.json());
    await changes(1);
    const updated = await send(
      a,
      'PATCH',
      `/notes/${note.id}`,
      { title: 'Again', version: note.version },
      auth,
    );
    expect(updated.status).toBe(200);
    await changes(2);
    const deleted = await send(a, 'DELETE', `/notes/${note.id}`, undefined, auth);
    expect(deleted.status).toBe(204);
    await changes(3);

    const events = eventsOf(onB, NOTES_CHANGED);
    for (const event of events) expect(event.topic).toBe(userTopic(alice.userId));
    expect(events.map((e) => notesChangedSchema.parse(e.data))).toEqual([
      { action: 'created', id: note.id, version: 1 },
      { action: 'updated', id: note.id, version: 2 },
      { action: 'deleted', id: note.id, version: 2 },
    ]);
  });
});
