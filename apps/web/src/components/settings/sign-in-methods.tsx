'use client';

import Link from 'next/link';
import { EmailCodeMethod } from '@/components/email-code/email-code-method';
import { PasskeysSettings } from '@/components/passkeys/passkeys-settings';
import { LinkedAccounts } from '@/components/oauth/linked-accounts';
import { useUser } from '@/components/providers/auth-provider';
import { Card } from '@/components/ui/card';

/** Every way into the account, side by side: the password, and each method's own section. */
export function SignInMethods() {
  const user = useUser();
  return (
    <div className="flex flex-col gap-6">
      <Card title="Password" description="Your email address and a password.">
        <p className="text-sm" data-testid="password-status">
          {user.hasPassword ? 'Set. ' : 'Not set. '}
          <Link href="/settings/password" className="text-sky-700 underline dark:text-sky-400">
            {user.hasPassword ? 'Change it' : 'Set one'}
          </Link>
        </p>
      </Card>
      <EmailCodeMethod />
      <PasskeysSettings />
      <LinkedAccounts />
    </div>
  );
}
