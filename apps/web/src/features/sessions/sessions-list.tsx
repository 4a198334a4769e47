'use client';

import { type Session } from '@repo/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { describeUserAgent, formatDateTime } from '@/lib/format';
import { sessionsKeys } from './query-keys';

/** The user's sessions (devices), this one marked; revoke one, or log out everywhere. */
export function SessionsList() {
  const sessions = useQuery({
    queryKey: sessionsKeys.all,
    queryFn: ({ signal }) => getClients().api.sessions.list({ signal }),
  });

  return (
    <Card
      title="Sessions"
      description="Every browser and device logged in to your account. Revoke the ones you do not recognise."
    >
      {sessions.isPending ? (
        <LoadingState label="Loading your sessions…" />
      ) : sessions.isError ? (
        <ErrorState
          title="Could not load your sessions"
          message={describeError(sessions.error)}
          onRetry={() => void sessions.refetch()}
          retrying={sessions.isFetching}
        />
      ) : sessions.data.length === 0 ? (
        <EmptyState title="No active sessions" />
      ) : (
        <ul
          className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
          aria-label="Sessions"
        >
          {sessions.data.map((session) => (
            <SessionRow key={session.id} session={session} />
          ))}
        </ul>
      )}
      <LogoutEverywhere />
    </Card>
  );
}

function SessionRow({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const device = describeUserAgent(session.userAgent);
  const revoke = useMutation({
    mutationFn: () => getClients().api.sessions.revoke({ params: { id: session.id } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: sessionsKeys.all }),
  });
  return (
    <li
      className="flex flex-wrap items-start justify-between gap-3 py-3"
      aria-label={session.current ? `${device} (this device)` : device}
      data-current={session.current || undefined}
    >
      <div className="flex min-w-0 flex-col gap-0.5 text-sm">
        <p className="flex flex-wrap items-center gap-2 font-medium">
          <span className="wrap-anywhere" title={session.userAgent ?? undefined}>
            {device}
          </span>
          {session.current && (
            <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300">
              This device
            </span>
          )}
        </p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {session.ip ?? 'Unknown IP'} · signed in {formatDateTime(session.createdAt)} · last active{' '}
          {formatDateTime(session.lastUsedAt)}
        </p>
        {revoke.isError && <FormAlert message={describeError(revoke.error)} />}
      </div>
      {!session.current && (
        <Button variant="secondary" onClick={() => revoke.mutate()} pending={revoke.isPending}>
          {revoke.isPending ? 'Revoking…' : 'Revoke'}
        </Button>
      )}
    </li>
  );
}

function LogoutEverywhere() {
  const { logoutAll } = useAuth();
  const [confirming, setConfirming] = useState(false);
  const logout = useMutation({ mutationFn: logoutAll });

  return (
    <div className="flex flex-col gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
      {confirming ? (
        <>
          <p className="text-sm">Log out of every session, on every device, this one included?</p>
          <FormAlert message={logout.isError ? describeError(logout.error) : undefined} />
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" onClick={() => logout.mutate()} pending={logout.isPending}>
              {logout.isPending ? 'Logging out…' : 'Yes, log out everywhere'}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </div>
        </>
      ) : (
        <Button variant="secondary" className="self-start" onClick={() => setConfirming(true)}>
          Log out everywhere
        </Button>
      )}
    </div>
  );
}
