'use client';

import { type ApiError } from '@repo/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { env } from '../../env';
import { getClients } from '../../lib/api';
import { connectionMessage } from '../../lib/connection';
import { useAuth } from '../providers/auth-provider';
import { DiagnosisHint } from '../diagnosis-hint';
import { Button } from '../ui/button';

/**
 * Shown while the API cannot be reached: says which failure it is — a finding code of FINDINGS
 * (`data-finding`: api_unreachable, cors_blocked, mixed_content, offline, api_timeout,
 * network_error), under its shared title — and what to fix, from the client's diagnosis. It goes
 * away with the next successful response. docs/troubleshooting.md explains each code.
 */
export function ConnectionBanner() {
  const [problem, setProblem] = useState<ApiError | null>(null);
  const [checking, setChecking] = useState(false);
  const queryClient = useQueryClient();
  const { restoreError, retryRestore } = useAuth();

  useEffect(() => {
    const { api } = getClients();
    const offProblem = api.on('connectionProblem', (error) => setProblem(error));
    const offRestored = api.on('connectionRestored', () => setProblem(null));
    return () => {
      offProblem();
      offRestored();
    };
  }, []);

  if (!problem) return null;
  const message = connectionMessage(problem.diagnosis, env.NEXT_PUBLIC_API_URL);

  const retry = async () => {
    setChecking(true);
    try {
      // Any answer clears the banner (connectionRestored); a failure updates it.
      await getClients().api.health.live({ retry: false });
      if (restoreError) retryRestore();
      await queryClient.refetchQueries({ type: 'active' });
    } catch {
      // The banner shows the new diagnosis.
    } finally {
      setChecking(false);
    }
  };

  return (
    <div
      role="alert"
      data-finding={problem.diagnosis?.finding ?? 'network_error'}
      className="border-b border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <p className="font-semibold">{message.title}</p>
          <p className="wrap-anywhere">
            <DiagnosisHint
              hint={message.hint}
              codeClassName="rounded bg-red-100 px-1 py-0.5 dark:bg-red-900"
            />
          </p>
          {message.originToAllow && (
            <p>
              Origin to add to <code>CORS_ORIGINS</code>:{' '}
              <code
                data-testid="cors-origin"
                className="rounded bg-red-100 px-1 py-0.5 wrap-anywhere dark:bg-red-900"
              >
                {message.originToAllow}
              </code>
            </p>
          )}
        </div>
        <Button
          variant="secondary"
          className="shrink-0 self-start"
          onClick={() => void retry()}
          pending={checking}
        >
          {checking ? 'Checking…' : 'Try again'}
        </Button>
      </div>
    </div>
  );
}
