'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { Button, buttonClasses } from '@/components/ui/button';
import { ConnectionIndicator } from './connection-indicator';

const NAV = [
  { href: '/dashboard', label: 'Dashboard' },
  { href: '/room', label: 'Room' },
  { href: '/settings', label: 'Settings' },
] as const;

const linkClasses =
  'rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 aria-[current=page]:bg-slate-100 aria-[current=page]:text-slate-950 dark:text-slate-300 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-slate-800 dark:aria-[current=page]:text-white';

/** Site name, navigation, and who is logged in (with logout and the realtime indicator). */
export function SiteHeader() {
  const pathname = usePathname();
  const { status, user, logout } = useAuth();
  const [loggingOut, setLoggingOut] = useState(false);
  const loggedIn = status === 'authenticated';

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } finally {
      setLoggingOut(false);
    }
  };

  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
        <Link
          href={loggedIn ? '/dashboard' : '/'}
          aria-label="Full-stack starter"
          className="text-base font-semibold tracking-tight focus-visible:outline-2 focus-visible:outline-sky-600"
        >
          {/* Short on phones, so that the user's name and logout fit beside it. */}
          <span className="sm:hidden">Starter</span>
          <span className="hidden sm:inline">Full-stack starter</span>
        </Link>

        {loggedIn && (
          <nav
            aria-label="Main"
            className="order-last -mx-2.5 w-full overflow-x-auto sm:order-none sm:mx-0 sm:w-auto sm:flex-1"
          >
            <ul className="flex gap-1">
              {NAV.map(({ href, label }) => (
                <li key={href}>
                  <Link
                    href={href}
                    className={linkClasses}
                    aria-current={
                      pathname === href || pathname.startsWith(`${href}/`) ? 'page' : undefined
                    }
                  >
                    {label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}

        <div className="flex min-w-0 items-center gap-2 sm:gap-3">
          {loggedIn ? (
            <>
              <ConnectionIndicator />
              <span
                className="max-w-24 truncate text-sm text-slate-700 sm:max-w-40 dark:text-slate-300"
                data-testid="user-name"
                title={user?.email}
              >
                {user?.name}
              </span>
              <Button variant="secondary" onClick={() => void onLogout()} pending={loggingOut}>
                {loggingOut ? 'Logging out…' : 'Log out'}
              </Button>
            </>
          ) : status === 'anonymous' ? (
            <>
              <Link href="/login" className={buttonClasses('ghost')}>
                Log in
              </Link>
              <Link href="/register" className={buttonClasses('primary', 'max-sm:hidden')}>
                Create account
              </Link>
            </>
          ) : null}
        </div>
      </div>
    </header>
  );
}
