'use client';

import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { env } from '@/env';
import { getClients } from '@/lib/api';
import {
  type ApiProblem,
  type ApiStatus,
  ApiStatusError,
  apiStatusKey,
  fetchApiStatus,
} from '@/lib/api-status';
import { connectionMessage } from '@/lib/connection';
import { DeveloperHint } from './developer-hint';

const REFETCH_INTERVAL_MS = 10_000;

type Tone = 'neutral' | 'ok' | 'warn' | 'error';

const toneClasses: Record<Tone, string> = {
  neutral: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  ok: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300',
  warn: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-300',
  error: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300',
};

const dotClasses: Record<Tone, string> = {
  neutral: 'bg-slate-400 animate-pulse',
  ok: 'bg-emerald-500',
  warn: 'bg-amber-500',
  error: 'bg-red-500',
};

/** The one-line summary: for no answer at all, the connection banner's words. */
function summaryOf(problem: ApiProblem): string {
  switch (problem.kind) {
    case 'unreachable':
      return connectionMessage(problem.diagnosis?.finding).title;
    case 'timeout':
      return connectionMessage('api_timeout').title;
    case 'unexpected':
      return 'Unexpected answer from the service';
  }
}

const formatTime = (value: string | number) => new Date(value).toLocaleTimeString();

export function ApiStatusCard() {
  const query = useQuery({
    queryKey: apiStatusKey,
    queryFn: ({ signal }) => fetchApiStatus(getClients().api.http, signal),
    refetchInterval: REFETCH_INTERVAL_MS,
    // The card polls anyway; retrying would only delay showing that the API is down.
    retry: false,
  });

  let tone: Tone;
  let summary: string;
  let details: ReactNode;
  if (query.isPending) {
    tone = 'neutral';
    summary = 'Checking the API…';
    details = null;
  } else if (query.isError) {
    const problem: ApiProblem =
      query.error instanceof ApiStatusError
        ? query.error.problem
        : { kind: 'unexpected', url: '', httpStatus: null, detail: query.error.message };
    tone = 'error';
    summary = summaryOf(problem);
    details = <ProblemDetails problem={problem} triedAt={query.errorUpdatedAt} />;
  } else {
    tone = query.data.state === 'ok' ? 'ok' : 'warn';
    summary = query.data.state === 'ok' ? 'Operational' : 'Degraded: database down';
    details = <StatusDetails status={query.data} />;
  }

  return (
    <section
      aria-labelledby="api-status-heading"
      className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="api-status-heading" className="text-lg font-semibold">
          API status
        </h2>
        <button
          type="button"
          onClick={() => void query.refetch()}
          disabled={query.isFetching}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {query.isFetching ? 'Checking…' : 'Check now'}
        </button>
      </div>

      {/* Only the one-line summary is live, so screen readers hear changes, not every poll. */}
      <p
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className={`inline-flex w-fit items-center gap-2 rounded-full px-3 py-1 text-sm font-medium ${toneClasses[tone]}`}
      >
        <span aria-hidden="true" className={`size-2 rounded-full ${dotClasses[tone]}`} />
        {summary}
      </p>

      {details}

      <p className="text-xs text-slate-500 dark:text-slate-400">
        Checked every {REFETCH_INTERVAL_MS / 1000} s via <code>GET /health/ready</code>.
      </p>
    </section>
  );
}

function StatusDetails({ status }: { status: ApiStatus }) {
  const { readiness } = status;
  const database = readiness.checks.database;
  const rows: [string, ReactNode][] = [
    ['Overall', status.state === 'ok' ? 'ok' : 'degraded'],
    ['Database', database.status],
    ['Latency', database.latencyMs === null ? 'n/a' : `${database.latencyMs} ms`],
    ['Version', readiness.version],
    ['Checked at', <time dateTime={readiness.timestamp}>{formatTime(readiness.timestamp)}</time>],
  ];
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="font-medium wrap-anywhere">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ProblemDetails({ problem, triedAt }: { problem: ApiProblem; triedAt: number }) {
  const url = <code className="wrap-anywhere">{problem.url}</code>;
  return (
    <div className="flex flex-col gap-3 text-sm">
      {problem.kind === 'unreachable' && (
        <>
          <p>
            No answer from {url}. {connectionMessage(problem.diagnosis?.finding).action}
          </p>
          <DeveloperHint diagnosis={problem.diagnosis} apiUrl={env.NEXT_PUBLIC_API_URL} />
        </>
      )}
      {problem.kind === 'timeout' && (
        <>
          <p>
            No answer from {url} within {problem.timeoutMs / 1000} s.{' '}
            {connectionMessage('api_timeout').action}
          </p>
          <DeveloperHint finding="api_timeout" />
        </>
      )}
      {problem.kind === 'unexpected' && (
        <>
          <p>
            {problem.url ? <>Unexpected answer from {url}</> : 'Unexpected error'}
            {problem.httpStatus !== null && ` (HTTP ${problem.httpStatus})`}: {problem.detail}
          </p>
          {problem.finding && <DeveloperHint finding={problem.finding} />}
        </>
      )}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Last tried at <time dateTime={new Date(triedAt).toISOString()}>{formatTime(triedAt)}</time>.
      </p>
    </div>
  );
}
