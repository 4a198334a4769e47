import {
  createdApiKeySchema,
  type Note,
  noteListSchema,
  notesChangedSchema,
  noteSchema,
  TOTAL_COUNT_HEADER,
  userTopic,
  NOTES_CHANGED,
} from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RealtimeEvent, RealtimeBus } from '../../src/core/realtime-bus/realtime-bus.js';
import { bearer, get, login, post, registerVerified } from '../support/auth-client.js';
import { expectProblem, NO_RATE_LIMITS, send, sql } from '../support/auth-extras.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const apiKey = (secret: string) => ({ 'x-api-key': secret });

describe('notes', () => {
  let t: TestApp;
  /** Every event the app published, in order (captured in-process). */
  const events: RealtimeEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: NO_RATE_LIMITS });
    t.app.get(RealtimeBus).onEvent((event) => events.push(event));
  });
  afterAll(() => t.close());

  const newUser = async () => {
    const session = await login(t, await registerVerified(t));
    return { id: session.body.user.id, auth: bearer(session.accessToken) };
  };
  type User = Awaited<ReturnType<typeof newUser>>;

  const create = async (user: User, body: { title: string; body?: string }) => {
    const res = await post(t, '/notes', body, user.auth);
    expect(res.status).toBe(201);
    return noteSchema.parse(await res.json());
  };

  const patch = (user: User, id: string, body: unknown) =>
    send(t, 'PATCH', `/notes/${id}`, body, user.auth);

  const list = async (headers: Record<string, string>, query = '') => {
    const res = await get(t, `/notes${query}`, headers);
    expect(res.status).toBe(200);
    return {
      notes: noteListSchema.parse(await res.json()),
      total: Number(res.headers.get(TOTAL_COUNT_HEADER)),
    };
  };

  /** The `notes.changed` payloads published to the user's topic, in order. */
  const changesOf = (user: User) =>
    events
      .filter((e) => e.topic === userTopic(user.id) && e.event === NOTES_CHANGED)
      .map((e) => notesChangedSchema.parse(e.data));

  it('create → get → list → update → delete, every response as the contract says', async () => {
    const user = await newUser();

    // Create: 201; the title is trimmed, the body defaults to empty, the version starts at 1.
    const created = await create(user, { title: '  Shopping  ' });
    expect(created).toMatchObject({ title: 'Shopping', body: '', version: 1 });
    expect(created.updatedAt).toBe(created.createdAt);
    expect(Object.keys(created).sort()).toEqual(Object.keys(noteSchema.shape).sort());

    // Get.
    const got = await get(t, `/notes/${created.id}`, user.auth);
    expect(got.status).toBe(200);
    expect(noteSchema.parse(await got.json())).toEqual(created);

    // List.
    expect(await list(user.auth)).toEqual({ notes: [created], total: 1 });

    // Update the title: the version goes up, updatedAt moves on, the body is kept.
    const renamed = await patch(user, created.id, { title: 'Groceries', version: 1 });
    expect(renamed.status).toBe(200);
    const v2 = noteSchema.parse(await renamed.json());
    expect(v2).toMatchObject({ id: created.id, title: 'Groceries', body: '', version: 2 });
    expect(v2.createdAt).toBe(created.createdAt);
    expect(Date.parse(v2.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));

    // Update the body only: the title is kept.
    const written = await patch(user, created.id, { body: 'milk, eggs', version: 2 });
    expect(written.status).toBe(200);
    const v3 = noteSchema.parse(await written.json());
    expect(v3).toMatchObject({ title: 'Groceries', body: 'milk, eggs', version: 3 });
    const reread = await get(t, `/notes/${created.id}`, user.auth);
    expect(noteSchema.parse(await reread.json())).toEqual(v3);

    // Delete: 204 with no body; then it is gone.
    const deleted = await send(t, 'DELETE', `/notes/${created.id}`, undefined, user.auth);
    expect(deleted.status).toBe(204);
    expect(await deleted.text()).toBe('');
    await expectProblem(await get(t, `/notes/${created.id}`, user.auth), 404, 'not_found');
    await expectProblem(
      await send(t, 'DELETE', `/notes/${created.id}`, undefined, user.auth),
      404,
      'not_found',
    );
    await expectProblem(
      await patch(user, created.id, { title: 'x', version: 3 }),
      404,
      'not_found',
    );
    expect(await list(user.auth)).toEqual({ notes: [], total: 0 });
  });

  it('lists newest change first, by pages, with the total in X-Total-Count', async () => {
    const user = await newUser();
    const created: Note[] = [];
    for (let i = 1; i <= 25; i++) created.push(await create(user, { title: `Note ${i}` }));
    const newestFirst = created.map((n) => n.id).reverse();

    const pages = [];
    for (const page of [1, 2, 3]) pages.push(await list(user.auth, `?page=${page}&pageSize=10`));
    expect(pages.map((p) => p.notes.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.total)).toEqual([25, 25, 25]);
    expect(pages.flatMap((p) => p.notes.map((n) => n.id))).toEqual(newestFirst);

    // Past the last page: no notes, still the total.
    expect(await list(user.auth, '?page=4&pageSize=10')).toEqual({ notes: [], total: 25 });
    // Defaults: page 1, 20 a page.
    const first = await list(user.auth);
    expect(first.notes.map((n) => n.id)).toEqual(newestFirst.slice(0, 20));
    expect(first.total).toBe(25);

    // Changing the oldest note makes it the newest.
    const oldest = created[0]!;
    expect((await patch(user, oldest.id, { title: 'Bumped', version: 1 })).status).toBe(200);
    const top = await list(user.auth, '?pageSize=1');
    expect(top.notes.map((n) => n.title)).toEqual(['Bumped']);
    expect(top.total).toBe(25);
  });

  it('refuses a stale version (409): of two concurrent updates exactly one wins', async () => {
    const user = await newUser();
    const note = await create(user, { title: 'Draft', body: 'v1' });

    for (let version = 1; version <= 3; version++) {
      const attempts = ['A', 'B'].map((who) => ({ title: `${who}${version}`, version }));
      const responses = await Promise.all(attempts.map((body) => patch(user, note.id, body)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);

      const winner = responses.find((r) => r.status === 200)!;
      const won = noteSchema.parse(await winner.json());
      expect(won.version).toBe(version + 1);
      const problem = await expectProblem(
        responses.find((r) => r.status === 409)!,
        409,
        'version_conflict',
      );
      expect(problem.detail).toContain(`version ${version + 1}`);

      // The loser changed nothing: the note is the winner's.
      const current = await get(t, `/notes/${note.id}`, user.auth);
      expect(noteSchema.parse(await current.json())).toEqual(won);
    }

    // A stale version later on is refused too, and leaves the note as it was.
    const before = noteSchema.parse(await (await get(t, `/notes/${note.id}`, user.auth)).json());
    const stale = await patch(user, note.id, { body: 'overwrite', version: 2 });
    const problem = await expectProblem(stale, 409, 'version_conflict');
    expect(problem.detail).toContain(`version ${before.version}`);
    const after = noteSchema.parse(await (await get(t, `/notes/${note.id}`, user.auth)).json());
    expect(after).toEqual(before);
    expect(after.body).toBe('v1');
  });

  it('another user’s notes are not found (404) for get, update and delete, and not listed', async () => {
    const owner = await newUser();
    const other = await newUser();
    const note = await create(owner, { title: 'Private', body: 'secret' });
    const eventsBefore = events.length;

    await expectProblem(await get(t, `/notes/${note.id}`, other.auth), 404, 'not_found');
    await expectProblem(
      await patch(other, note.id, { title: 'Mine', version: 1 }),
      404,
      'not_found',
    );
    await expectProblem(
      await send(t, 'DELETE', `/notes/${note.id}`, undefined, other.auth),
      404,
      'not_found',
    );
    expect(await list(other.auth)).toEqual({ notes: [], total: 0 });

    // Exactly as for a note that does not exist: nothing tells the two apart.
    const foreign = await expectProblem(
      await get(t, `/notes/${note.id}`, other.auth),
      404,
      'not_found',
    );
    const missing = await expectProblem(
      await get(t, `/notes/${MISSING_ID}`, other.auth),
      404,
      'not_found',
    );
    expect(foreign.detail).toBe(missing.detail);

    // The owner's note is untouched, and nothing was announced.
    const mine = await get(t, `/notes/${note.id}`, owner.auth);
    expect(noteSchema.parse(await mine.json())).toEqual(note);
    expect(events.length).toBe(eventsBefore);
  });

  it('bad input → 400 problem, and nothing is written', async () => {
    const user = await newUser();
    const note = await create(user, { title: 'Valid' });
    const eventsBefore = events.length;

    const badCreates: [unknown, string][] = [
      [{ title: '' }, 'title'],
      [{ title: '   ' }, 'title'],
      [{ title: 't'.repeat(201) }, 'title'],
      [{ title: 'ok', body: 'b'.repeat(10_001) }, 'body'],
      [{}, 'title'],
      [{ title: 'ok', owner: MISSING_ID }, ''],
    ];
    for (const [body, field] of badCreates) {
      const problem = await expectProblem(
        await post(t, '/notes', body, user.auth),
        400,
        'validation_failed',
      );
      expect(problem.errors?.map((e) => e.path)).toContain(field);
    }
    // The limits themselves are accepted.
    await create(user, { title: 't'.repeat(200), body: 'b'.repeat(10_000) });

    const badUpdates: [unknown, string][] = [
      [{ title: 'no version' }, 'version'],
      [{ title: 'negative', version: -1 }, 'version'],
      [{ title: 'zero', version: 0 }, 'version'],
      [{ title: 'string', version: '1' }, 'version'],
      [{ title: 'fraction', version: 1.5 }, 'version'],
      [{ title: '', version: 1 }, 'title'],
      [{ title: 't'.repeat(201), version: 1 }, 'title'],
      [{ body: 'b'.repeat(10_001), version: 1 }, 'body'],
    ];
    for (const [body, field] of badUpdates) {
      const problem = await expectProblem(
        await patch(user, note.id, body),
        400,
        'validation_failed',
      );
      expect(problem.errors?.map((e) => e.path)).toContain(field);
    }

    for (const query of ['?pageSize=0', '?pageSize=101', '?page=0', '?page=-1', '?pageSize=ten']) {
      const problem = await expectProblem(
        await get(t, `/notes${query}`, user.auth),
        400,
        'validation_failed',
      );
      expect(problem.errors?.length).toBeGreaterThan(0);
    }

    for (const id of ['not-a-uuid', '1', `${MISSING_ID}0`]) {
      const invalidId = 'validation_failed';
      await expectProblem(await get(t, `/notes/${id}`, user.auth), 400, invalidId);
      await expectProblem(await patch(user, id, { title: 'x', version: 1 }), 400, invalidId);
      await expectProblem(
        await send(t, 'DELETE', `/notes/${id}`, undefined, user.auth),
        400,
        invalidId,
      );
    }

    // Only the two valid notes exist; the first is as created; no change was announced but one.
    expect((await list(user.auth)).total).toBe(2);
    const reread = await get(t, `/notes/${note.id}`, user.auth);
    expect(noteSchema.parse(await reread.json())).toEqual(note);
    expect(events.length).toBe(eventsBefore + 1);
  });

  it('API keys: a read key lists and gets but may not write (403); a write key creates', async () => {
    const user = await newUser();
    const note = await create(user, { title: 'Keyed' });
    const keyWith = async (scopes: string[]) => {
      const res = await post(t, '/api-keys', { name: scopes.join('+'), scopes }, user.auth);
      expect(res.status).toBe(201);
      return apiKey(createdApiKeySchema.parse(await res.json()).secret);
    };
    const reader = await keyWith(['read']);
    const writer = await keyWith(['read', 'write']);
    const eventsBefore = events.length;

    expect(await list(reader)).toEqual({ notes: [note], total: 1 });
    const got = await get(t, `/notes/${note.id}`, reader);
    expect(got.status).toBe(200);
    expect(noteSchema.parse(await got.json())).toEqual(note);

    await expectProblem(
      await post(t, '/notes', { title: 'By reader' }, reader),
      403,
      'insufficient_scope',
    );
    await expectProblem(
      await send(t, 'PATCH', `/notes/${note.id}`, { title: 'By reader', version: 1 }, reader),
      403,
      'insufficient_scope',
    );
    await expectProblem(
      await send(t, 'DELETE', `/notes/${note.id}`, undefined, reader),
      403,
      'insufficient_scope',
    );
    expect(events.length).toBe(eventsBefore);
    expect(await list(user.auth)).toEqual({ notes: [note], total: 1 });

    // A write key acts for its user: the note is theirs.
    const res = await post(t, '/notes', { title: 'By writer' }, writer);
    expect(res.status).toBe(201);
    const written = noteSchema.parse(await res.json());
    expect((await list(user.auth)).notes.map((n) => n.id)).toEqual([written.id, note.id]);
    expect(changesOf(user).at(-1)).toEqual({ action: 'created', id: written.id, version: 1 });
  });

  it('publishes notes.changed to the owner’s topic for each change, none for a refused one', async () => {
    const user = await newUser();
    const other = await newUser();
    const ownTopicOnly = () => events.filter((e) => e.topic === userTopic(other.id));

    const note = await create(user, { title: 'Watched' });
    expect(events.at(-1)).toMatchObject({
      topic: `user:${user.id}`,
      event: 'notes.changed',
      data: { action: 'created', id: note.id, version: 1 },
    });

    expect((await patch(user, note.id, { title: 'Watched 2', version: 1 })).status).toBe(200);
    // Refused: a stale version (409), another user's update and delete (404).
    await expectProblem(
      await patch(user, note.id, { title: 'stale', version: 1 }),
      409,
      'version_conflict',
    );
    await expectProblem(
      await patch(other, note.id, { title: 'theirs', version: 2 }),
      404,
      'not_found',
    );
    await expectProblem(
      await send(t, 'DELETE', `/notes/${note.id}`, undefined, other.auth),
      404,
      'not_found',
    );
    expect((await send(t, 'DELETE', `/notes/${note.id}`, undefined, user.auth)).status).toBe(204);

    expect(changesOf(user)).toEqual([
      { action: 'created', id: note.id, version: 1 },
      { action: 'updated', id: note.id, version: 2 },
      { action: 'deleted', id: note.id, version: 2 },
    ]);
    expect(ownTopicOnly()).toEqual([]);
  });

  it('the schema: notes go with their owner; the list has its index', async () => {
    const user = await newUser();
    await create(user, { title: 'Cascade' });
    await sql(t, 'DELETE FROM users WHERE id = $1', [user.id]);
    expect(await sql(t, 'SELECT id FROM notes WHERE owner_id = $1', [user.id])).toEqual([]);

    const [index] = await sql<{ indexdef: string }>(
      t,
      `SELECT indexdef FROM pg_indexes WHERE tablename = 'notes' AND indexname = 'notes_owner_id_updated_at_idx'`,
    );
    expect(index?.indexdef).toContain('(owner_id, updated_at DESC)');
  });
});
