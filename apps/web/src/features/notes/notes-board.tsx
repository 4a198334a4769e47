'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { notesKeys } from './query-keys';
import { useLiveNotes } from './use-live-notes';
import { NewNoteForm } from './new-note-form';
import { NoteItem } from './note-item';

const NOTES_PAGE_SIZE = 10;

/**
 * The user's notes, newest change first, a page at a time. Changes made in other tabs and on
 * other devices arrive live (`notes.changed` refetches this query).
 */
export function NotesBoard() {
  useLiveNotes();
  const [page, setPage] = useState(1);
  const notes = useQuery({
    queryKey: notesKeys.page(page, NOTES_PAGE_SIZE),
    queryFn: ({ signal }) =>
      getClients().api.notes.list({ query: { page, pageSize: NOTES_PAGE_SIZE }, signal }),
    placeholderData: keepPreviousData,
  });

  const total = notes.data?.total ?? 0;
  const totalPages = Math.max(1, Math.ceil(total / NOTES_PAGE_SIZE));
  const items = notes.data?.data ?? [];

  const onDeleted = () => {
    // The last note of a later page: show the page before.
    if (items.length === 1 && page > 1) setPage(page - 1);
  };

  return (
    <div className="flex flex-col gap-6">
      <NewNoteForm onCreated={() => setPage(1)} />

      <section aria-labelledby="notes-heading" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 id="notes-heading" className="text-lg font-semibold">
            Your notes
          </h2>
          <p className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
            {notes.isFetching && !notes.isPending && <Spinner className="size-3" />}
            {notes.data && (
              <span data-testid="notes-total">
                {total} {total === 1 ? 'note' : 'notes'}
              </span>
            )}
          </p>
        </div>

        {notes.isPending ? (
          <LoadingState label="Loading your notes…" />
        ) : !notes.data ? (
          <ErrorState
            title="Could not load your notes"
            message={describeError(notes.error)}
            onRetry={() => void notes.refetch()}
            retrying={notes.isFetching}
          />
        ) : items.length === 0 ? (
          page > 1 ? (
            <EmptyState title="This page is empty now">
              <Button variant="secondary" onClick={() => setPage(1)}>
                Go to the first page
              </Button>
            </EmptyState>
          ) : (
            <EmptyState title="No notes yet">
              Write your first one above. Notes you add in another tab appear here by themselves.
            </EmptyState>
          )
        ) : (
          <>
            {notes.isRefetchError && (
              <ErrorState
                title="Could not refresh your notes"
                message={describeError(notes.error)}
                onRetry={() => void notes.refetch()}
                retrying={notes.isFetching}
              />
            )}
            <ul className="flex flex-col gap-3" aria-label="Notes">
              {items.map((note) => (
                <NoteItem key={note.id} note={note} onDeleted={onDeleted} />
              ))}
            </ul>
          </>
        )}

        <Pagination
          page={page}
          totalPages={totalPages}
          onPage={setPage}
          disabled={notes.isPlaceholderData}
        />
      </section>
    </div>
  );
}
