'use client';

import { type SecurityEvent } from '@repo/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { describeEvent } from './event-labels';

const SECURITY_EVENTS_PAGE_SIZE = 20;

/** The account's audit log, newest first, a page at a time. */
export function SecurityActivity() {
  const [page, setPage] = useState(1);
  const events = useQuery({
    queryKey: ['security-events', page],
    queryFn: ({ signal }) =>
      getClients().api.securityEvents.list({
        query: { page, pageSize: SECURITY_EVENTS_PAGE_SIZE },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  const totalPages = Math.max(1, Math.ceil((events.data?.total ?? 0) / SECURITY_EVENTS_PAGE_SIZE));

  return (
    <Card
      title="Security activity"
      description="Sign-ins and changes to how your account is protected, newest first. If you do not recognise one, change your password and end your other sessions."
    >
      {events.isPending ? (
        <LoadingState label="Loading your security activity…" />
      ) : !events.data ? (
        <ErrorState
          title="Could not load your security activity"
          message={describeError(events.error)}
          onRetry={() => void events.refetch()}
          retrying={events.isFetching}
        />
      ) : events.data.data.length === 0 ? (
        <EmptyState title="No activity yet" />
      ) : (
        <ul
          className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
          aria-label="Security activity"
        >
          {events.data.data.map((event) => (
            <EventRow key={event.id} event={event} />
          ))}
        </ul>
      )}
      <Pagination
        page={page}
        totalPages={totalPages}
        onPage={setPage}
        disabled={events.isPlaceholderData}
      />
    </Card>
  );
}

function EventRow({ event }: { event: SecurityEvent }) {
  const failed = event.type === 'login_failed' || event.type === 'refresh_token_reused';
  return (
    <li className="flex flex-col gap-0.5 py-3 text-sm" data-event-type={event.type}>
      <p
        className={
          failed ? 'font-medium text-red-700 dark:text-red-400' : 'font-medium wrap-anywhere'
        }
      >
        {describeEvent(event)}
      </p>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time> ·{' '}
        {event.ip ?? 'Unknown IP'} ·{' '}
        <span title={event.userAgent ?? undefined}>{event.device ?? 'Unknown device'}</span>
      </p>
    </li>
  );
}
