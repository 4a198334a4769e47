import { randomUUID } from 'node:crypto';
import { contract, type Note } from '@repo/contracts';
import { defineScenarios, refused, succeeds } from '../../test/support/scenarios.js';
import { type TestUser, type World } from '../../test/support/world.js';

const notes = contract.notes;

/** A note of the user's, to get, change or delete. */
async function noteOf(w: World, user: TestUser): Promise<Note> {
  const reply = await w.expect('create a note', notes.create, 'success', {
    as: user,
    body: { title: 'A note', body: 'its text' },
  });
  return reply.json() as Note;
}

export const scenarios = defineScenarios(notes, {
  list: [
    succeeds('list notes', async (w) => ({ as: await w.user(), query: { page: 1, pageSize: 10 } })),
    refused('list notes, pageSize 0', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      query: { pageSize: 0 },
    })),
    refused('list notes without a token', [401, 'unauthorized'], () => ({})),
  ],
  create: [
    succeeds('create a note', async (w) => ({
      as: await w.user(),
      body: { title: 'First', body: 'x' },
    })),
    refused('create a note, empty title', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      body: { title: '' },
    })),
    refused('create a note with a read key', [403, 'insufficient_scope'], async (w) => ({
      as: { apiKey: (await w.apiKey(await w.user(), ['read'])).secret },
      body: { title: 'x' },
    })),
  ],
  get: [
    succeeds('get a note', async (w) => {
      const user = await w.user();
      return { as: user, params: { id: (await noteOf(w, user)).id } };
    }),
    refused('get a missing note', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: { id: randomUUID() },
    })),
    refused('get someone else’s note', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: { id: (await noteOf(w, await w.user())).id },
    })),
  ],
  update: [
    succeeds(
      'update a note',
      async (w) => {
        const user = await w.user();
        const note = await noteOf(w, user);
        return { as: user, params: { id: note.id }, body: { title: 'Second', version: 1 } };
      },
      async (w, _reply, request) => {
        await w.expect('the same update again', notes.update, [409, 'version_conflict'], request);
      },
    ),
    refused('update someone else’s note', [404, 'not_found'], async (w) => ({
      as: await w.user(),
      params: { id: (await noteOf(w, await w.user())).id },
      body: { title: 'Mine now', version: 1 },
    })),
  ],
  delete: [
    succeeds(
      'delete a note',
      async (w) => {
        const user = await w.user();
        return { as: user, params: { id: (await noteOf(w, user)).id } };
      },
      async (w, _reply, request) => {
        await w.expect('delete it again', notes.delete, [404, 'not_found'], request);
      },
    ),
    refused('delete a non-UUID', [400, 'validation_failed'], async (w) => ({
      as: await w.user(),
      params: { id: '1' },
    })),
  ],
});
