'use client';

import Link from 'next/link';
import { useUser } from '@/components/providers/auth-provider';
import { Card } from '@/components/ui/card';

/** The password way in, on the sign-in methods page: set or not, and the page that changes it. */
export function PasswordMethod() {
  const user = useUser();
  return (
    <Card title="Password" description="Your email address and a password.">
      <p className="text-sm" data-testid="password-status">
        {user.hasPassword ? 'Set. ' : 'Not set. '}
        <Link href="/settings/password" className="text-sky-700 underline dark:text-sky-400">
          {user.hasPassword ? 'Change it' : 'Set one'}
        </Link>
      </p>
    </Card>
  );
}
