'use client';

import { type ApiError } from '@repo/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DeveloperHint } from '@/components/developer-hint';
import { useAuth } from '@/components/providers/auth-provider';
import { Button } from '@/components/ui/button';
import { env } from '@/env';
import { getClients } from '@/lib/api';
import { connectionMessage } from '@/lib/connection';

/**
 * Shown while the API cannot be reached: tells the visitor what happened and what they can do,
 * and carries the client's diagnosis as a finding code in `data-finding` (api_unreachable,
 * cors_blocked, mixed_content, offline, api_timeout, network_error; docs/troubleshooting.md
 * explains each). Development builds add what to fix. It goes away with the next successful
 * response.
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
  const finding = problem.diagnosis?.finding;
  const message = connectionMessage(finding);

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
      data-finding={finding ?? 'network_error'}
      className="border-b border-red-300 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4">
        <div className="flex min-w-0 flex-col gap-1 text-sm">
          <p className="font-semibold">{message.title}</p>
          <p>{message.action}</p>
          <DeveloperHint diagnosis={problem.diagnosis} apiUrl={env.NEXT_PUBLIC_API_URL} />
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
