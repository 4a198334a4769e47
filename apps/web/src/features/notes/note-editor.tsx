'use client';

import { ApiError } from '@repo/client';
import { type Note, updateNoteSchema } from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { focusFirstInvalid, TextAreaField, TextField } from '@/components/ui/field';
import { getClients } from '@/lib/api';
import { apiErrorToFieldErrors, describeError } from '@/lib/form-errors';
import { type FieldErrors, validateForm } from '@/lib/validation';
import { notesKeys } from './query-keys';

type Field = 'title' | 'body';

/** What the server has now, after a 409: the latest note, or nothing (deleted). */
type Conflict = { latest: Note } | { deleted: true };

/**
 * Edits a note with optimistic concurrency: the version it started from goes with the change,
 * and a 409 (changed in another tab or on another device meanwhile) asks what to keep.
 */
export function NoteEditor({ note, onDone }: { note: Note; onDone: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [title, setTitle] = useState(note.title);
  const [body, setBody] = useState(note.body);
  const [baseVersion, setBaseVersion] = useState(note.version);
  const [errors, setErrors] = useState<FieldErrors<Field | 'version'>>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [pending, setPending] = useState(false);

  const save = async (version: number) => {
    const result = validateForm<typeof updateNoteSchema, Field | 'version'>(updateNoteSchema, {
      title,
      body,
      version,
    });
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setConflict(null);
    setPending(true);
    try {
      await getClients().api.notes.update({ params: { id: note.id }, body: result.data });
      await queryClient.invalidateQueries({ queryKey: notesKeys.all });
      onDone();
    } catch (error) {
      if (ApiError.is(error) && (error.code === 'version_conflict' || error.isNotFound())) {
        try {
          setConflict(await latestOf(note.id));
        } catch (latestError) {
          setErrors({
            '': `This note was changed elsewhere, and its latest version could not be loaded: ${describeError(latestError)}`,
          });
        }
      } else {
        setErrors(apiErrorToFieldErrors<Field>(error, ['title', 'body']));
        focusFirstInvalid(formRef.current);
      }
    } finally {
      setPending(false);
    }
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save(baseVersion);
  };

  const keepMine = (latest: Note) => {
    setBaseVersion(latest.version);
    void save(latest.version);
  };

  const takeTheirs = (latest: Note) => {
    setTitle(latest.title);
    setBody(latest.body);
    setBaseVersion(latest.version);
    setConflict(null);
  };

  const changedMeanwhile = !conflict && note.version > baseVersion;

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      aria-label={`Edit note ${note.title}`}
      className="flex flex-col gap-4"
    >
      {conflict &&
        ('deleted' in conflict ? (
          <FormAlert message="This note was deleted elsewhere (another tab or device) while you were editing it.">
            <div className="mt-2">
              <Button variant="secondary" onClick={onDone}>
                Close
              </Button>
            </div>
          </FormAlert>
        ) : (
          <FormAlert
            message={`This note was changed elsewhere (another tab or device) after you started editing: version ${conflict.latest.version} is the latest. Your changes are not saved yet.`}
          >
            <div className="mt-2 flex flex-wrap gap-2">
              <Button variant="secondary" onClick={() => keepMine(conflict.latest)}>
                Save mine over it
              </Button>
              <Button variant="secondary" onClick={() => takeTheirs(conflict.latest)}>
                Load the latest version
              </Button>
            </div>
          </FormAlert>
        ))}
      {changedMeanwhile && (
        <Notice tone="warning">
          This note was just changed elsewhere. Saving will ask you which version to keep.
        </Notice>
      )}
      <FormAlert message={errors[''] ?? errors.version} />
      <TextField
        label="Title"
        name="title"
        required
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.title}
      />
      <TextAreaField
        label="Body"
        name="body"
        rows={4}
        maxLength={10_000}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={errors.body}
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" pending={pending}>
          {pending ? 'Saving…' : 'Save'}
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

async function latestOf(id: string): Promise<Conflict> {
  try {
    return { latest: await getClients().api.notes.get({ params: { id } }) };
  } catch (error) {
    if (ApiError.is(error) && error.isNotFound()) return { deleted: true };
    throw error;
  }
}
