'use client';

import Link from 'next/link';
import { useAuth } from '@/components/providers/auth-provider';
import { buttonClasses } from '@/components/ui/button';

/** Log in / create an account, or — with a session — on to the dashboard. */
export function HomeActions() {
  const { status, user } = useAuth();
  if (status === 'restoring') {
    // Same height as the buttons: nothing jumps when the session is known.
    return <div aria-hidden="true" className="h-9" />;
  }
  if (status === 'authenticated') {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/dashboard" className={buttonClasses('primary')}>
          Go to the dashboard
        </Link>
        {user && (
          <span className="text-sm text-slate-600 dark:text-slate-400">
            Logged in as {user.name}
          </span>
        )}
      </div>
    );
  }
  return (
    <div className="flex flex-wrap gap-3">
      <Link href="/login" className={buttonClasses('primary')}>
        Log in
      </Link>
      <Link href="/register" className={buttonClasses('secondary')}>
        Create an account
      </Link>
    </div>
  );
}
