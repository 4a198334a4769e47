'use client';

import Link from 'next/link';
import { useSyncExternalStore } from 'react';

const linkClasses = 'text-sky-700 underline dark:text-sky-400';

/** On the login page: the passwordless way, keeping where the login was to lead (`?next=`). */
export function EmailCodeLoginLink() {
  const search = useSyncExternalStore(
    () => () => undefined,
    () => window.location.search,
    () => '',
  );
  return (
    <Link href={`/login/email-code${search}`} className={linkClasses}>
      Email me a code instead
    </Link>
  );
}

/** On the register page: sign up without a password. */
export function EmailCodeSignUpLink() {
  return (
    <p className="text-sm">
      Rather not have a password?{' '}
      <Link href="/register/email-code" className={linkClasses}>
        Sign up with an email code
      </Link>
    </p>
  );
}
