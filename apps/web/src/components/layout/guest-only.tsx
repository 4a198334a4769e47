'use client';

import { useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { LoadingState } from '@/components/ui/states';
import { DEFAULT_AFTER_LOGIN, safeNextPath } from '@/lib/safe-next';

/**
 * For the login and register pages: a logged-in visitor goes on to `next` (a path of this site)
 * or the dashboard — which is also how a login lands where it was asked for.
 */
export function GuestOnly({ children }: { children: ReactNode }) {
  const router = useRouter();
  const { status } = useAuth();

  useEffect(() => {
    if (status !== 'authenticated') return;
    const next = new URLSearchParams(window.location.search).get('next');
    router.replace(safeNextPath(next) ?? DEFAULT_AFTER_LOGIN);
  }, [status, router]);

  if (status === 'anonymous') return children;
  return (
    <LoadingState
      label={status === 'restoring' ? 'Checking your session…' : 'Logged in. Redirecting…'}
    />
  );
}
