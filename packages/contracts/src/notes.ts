import { z } from 'zod';
import { defineContract, defineEndpoints } from './endpoint.js';
import { paginationSchema } from './pagination.js';

export const noteSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    body: z.string(),
    version: z
      .number()
      .int()
      .positive()
      .describe('Send it back when updating: a stale one is a 409'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Note' });
export type Note = z.infer<typeof noteSchema>;
export const noteListSchema = z.array(noteSchema).meta({ id: 'NoteList' });

const title = z.string().trim().min(1).max(200);
const body = z.string().max(10_000);

export const createNoteSchema = z
  .object({ title, body: body.default('') })
  .strict()
  .meta({ id: 'CreateNote', examples: [{ title: 'Groceries', body: 'Milk, eggs' }] });
export type CreateNote = z.infer<typeof createNoteSchema>;

export const updateNoteSchema = z
  .object({ title: title.optional(), body: body.optional(), version: z.number().int().positive() })
  .strict()
  .meta({ id: 'UpdateNote', examples: [{ title: 'Groceries for Sunday', version: 1 }] });
export type UpdateNote = z.infer<typeof updateNoteSchema>;

/** The realtime event on the owner's topic after each change of one of their notes. */
export const NOTES_CHANGED = 'notes.changed';
export const notesChangedSchema = z.object({
  action: z.enum(['created', 'updated', 'deleted']),
  id: z.uuid(),
  version: z.number().int().optional(),
});
export type NotesChanged = z.infer<typeof notesChangedSchema>;

/** The `:id` of a note's routes. */
export const noteParamsSchema = z.object({ id: z.uuid() }).strict();

/** An access token, or an API key: `read` to look, `write` to change. */
const notesEndpoints = defineEndpoints({
  list: {
    access: { apiKey: 'read' },
    method: 'GET',
    path: '/notes',
    summary: 'The user’s notes, newest change first (X-Total-Count: how many in all)',
    query: paginationSchema,
    response: noteListSchema,
  },
  create: {
    access: { apiKey: 'write' },
    method: 'POST',
    path: '/notes',
    summary: 'Create a note',
    body: createNoteSchema,
    status: 201,
    response: noteSchema,
  },
  get: {
    access: { apiKey: 'read' },
    method: 'GET',
    path: '/notes/:id',
    params: noteParamsSchema,
    summary: 'One note',
    response: noteSchema,
    problems: ['not_found'],
  },
  update: {
    access: { apiKey: 'write' },
    method: 'PATCH',
    path: '/notes/:id',
    params: noteParamsSchema,
    summary: 'Change a note (409 when `version` is not the current one)',
    body: updateNoteSchema,
    response: noteSchema,
    problems: ['not_found', 'version_conflict'],
  },
  delete: {
    access: { apiKey: 'write' },
    method: 'DELETE',
    path: '/notes/:id',
    params: noteParamsSchema,
    summary: 'Delete a note',
    status: 204,
    problems: ['not_found'],
  },
});

/** The feature's endpoints under their group name, and what the group is for (its OpenAPI tag). */
export const notesContract = defineContract(
  { notes: notesEndpoints },
  { notes: 'The example feature: notes shared in real time between the user’s devices.' },
);
