'use client';

import { useRealtime } from '@/components/providers/realtime-provider';
import { type LiveStatus, LIVE_STATUS_LABELS } from '@/lib/realtime-status';

const dotClasses: Record<LiveStatus, string> = {
  connecting: 'bg-amber-400 animate-pulse',
  live: 'bg-emerald-500',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-slate-400',
};

/** The realtime connection's state: connecting, live, reconnecting or offline. */
export function ConnectionIndicator() {
  const { status } = useRealtime();
  return (
    <span
      data-testid="connection-indicator"
      data-state={status}
      title="Realtime connection"
      className="inline-flex items-center gap-1.5 rounded-full border border-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700 dark:border-slate-700 dark:text-slate-300"
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${dotClasses[status]}`} />
      <span className="sr-only">Realtime: </span>
      <span aria-live="polite" className="sr-only sm:not-sr-only">
        {LIVE_STATUS_LABELS[status]}
      </span>
    </span>
  );
}
