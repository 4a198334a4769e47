import { type Note } from '@repo/contracts';
import { type NoteEntity } from './note.entity.js';

/** The only way a note leaves the API: exactly the contract's fields (no owner id). */
export const toNote = (note: NoteEntity): Note => ({
  id: note.id,
  title: note.title,
  body: note.body,
  version: note.version,
  createdAt: note.createdAt.toISOString(),
  updatedAt: note.updatedAt.toISOString(),
});
