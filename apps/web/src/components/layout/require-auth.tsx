'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { loginRedirectFor } from '@/lib/safe-next';

/**
 * Renders its pages only with a session. Without one it sends the browser to
 * `/login?next=<this page>`; while the session is being restored it shows that.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const router = useRouter();
  const { status, user, ended, restoreError, retryRestore, setUser } = useAuth();

  useEffect(() => {
    if (status !== 'anonymous' || restoreError) return;
    const { pathname, search } = window.location;
    router.replace(loginRedirectFor(ended, `${pathname}${search}`));
  }, [status, restoreError, ended, router]);

  // A session adopted from another tab may come without the user: ask for it.
  useEffect(() => {
    if (status !== 'authenticated' || user) return;
    getClients()
      .api.users.me()
      .then(setUser)
      .catch(() => undefined);
  }, [status, user, setUser]);

  if (status === 'authenticated' && user) return children;
  if (status === 'anonymous' && restoreError) {
    return (
      <ErrorState
        title="Could not check your session"
        message={describeError(restoreError)}
        onRetry={retryRestore}
      />
    );
  }
  return (
    <LoadingState
      label={status === 'anonymous' ? 'Redirecting to the login page…' : 'Checking your session…'}
    />
  );
}
