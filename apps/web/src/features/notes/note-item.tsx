'use client';

import { ApiError } from '@repo/client';
import { type Note } from '@repo/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { notesKeys } from './query-keys';
import { NoteEditor } from './note-editor';

/** One note: read, edit in place, or delete (after a confirmation). */
export function NoteItem({ note, onDeleted }: { note: Note; onDeleted: () => void }) {
  const headingId = useId();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');

  const remove = useMutation({
    mutationFn: async () => {
      try {
        await getClients().api.notes.delete({ params: { id: note.id } });
      } catch (error) {
        // Deleted elsewhere already: what was asked is done.
        if (!(ApiError.is(error) && error.isNotFound())) throw error;
      }
    },
    onSuccess: async () => {
      onDeleted();
      await queryClient.invalidateQueries({ queryKey: notesKeys.all });
    },
  });

  return (
    <li>
      <article
        aria-labelledby={headingId}
        className="flex min-w-0 flex-col gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      >
        <h3 id={headingId} className={mode === 'edit' ? 'sr-only' : 'font-semibold wrap-anywhere'}>
          {note.title}
        </h3>
        {mode === 'edit' ? (
          <NoteEditor note={note} onDone={() => setMode('view')} />
        ) : (
          <>
            {note.body && (
              <p className="text-sm whitespace-pre-wrap text-slate-700 wrap-anywhere dark:text-slate-300">
                {note.body}
              </p>
            )}
            <p className="text-xs text-slate-500 dark:text-slate-400">
              Updated <time dateTime={note.updatedAt}>{formatDateTime(note.updatedAt)}</time> ·
              version {note.version}
            </p>
            {mode === 'confirm-delete' ? (
              <div className="flex flex-col gap-2" role="group" aria-label="Confirm deletion">
                <p className="text-sm font-medium">Delete this note for good?</p>
                <FormAlert message={remove.isError ? describeError(remove.error) : undefined} />
                <div className="flex flex-wrap gap-2">
                  <Button
                    variant="danger"
                    onClick={() => remove.mutate()}
                    pending={remove.isPending}
                  >
                    {remove.isPending ? 'Deleting…' : 'Delete note'}
                  </Button>
                  <Button
                    variant="ghost"
                    onClick={() => {
                      remove.reset();
                      setMode('view');
                    }}
                  >
                    Cancel
                  </Button>
                </div>
              </div>
            ) : (
              <div className="flex flex-wrap gap-2">
                <Button variant="secondary" onClick={() => setMode('edit')}>
                  Edit
                </Button>
                <Button variant="ghost" onClick={() => setMode('confirm-delete')}>
                  Delete
                </Button>
              </div>
            )}
          </>
        )}
      </article>
    </li>
  );
}
