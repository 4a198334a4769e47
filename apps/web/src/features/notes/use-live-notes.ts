'use client';

import { NOTES_CHANGED } from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useUserEvents } from '@/components/providers/realtime-provider';
import { getClients } from '@/lib/api';
import { notesKeys } from './query-keys';

/**
 * Keeps the notes shown fresh: refetched on each `notes.changed` of the user (a change in another
 * tab or on another device), and after every (re)connection, since events sent while the socket
 * was down are lost.
 */
export function useLiveNotes(): void {
  const queryClient = useQueryClient();
  useUserEvents((event) => {
    if (event.event === NOTES_CHANGED)
      void queryClient.invalidateQueries({ queryKey: notesKeys.all });
  });
  useEffect(
    () =>
      getClients().realtime.on('ready', () => {
        void queryClient.invalidateQueries({ queryKey: notesKeys.all });
      }),
    [queryClient],
  );
}
