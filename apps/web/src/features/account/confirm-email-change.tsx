'use client';

import { type User } from '@repo/contracts';
import Link from 'next/link';
import { useEffect } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { buttonClasses } from '@/components/ui/button';
import { getClients } from '@/lib/api';
import { MailedLinkPage } from './mailed-link';

const confirm = (token: string) => getClients().api.account.confirmEmailChange({ body: { token } });

/** Opened from the link mailed to the new address: switches the account to it. */
export function ConfirmEmailChange() {
  return (
    <MailedLinkPage
      title="Confirm your new email"
      working="Switching to your new address…"
      action={confirm}
      done={(user) => <Confirmed user={user} />}
    />
  );
}

function Confirmed({ user }: { user: User }) {
  const { status, user: signedIn, setUser } = useAuth();
  // This browser may have restored its session while the link was being used: show the new
  // address at once rather than wait for the realtime news of it.
  useEffect(() => {
    if (signedIn?.id === user.id && signedIn.email !== user.email) setUser(user);
  }, [signedIn, user, setUser]);
  return (
    <>
      <p role="status">
        Your account now uses <strong className="wrap-anywhere">{user.email}</strong>.
      </p>
      <Link
        href={status === 'authenticated' ? '/settings/account' : '/login'}
        className={buttonClasses('primary', 'self-start')}
      >
        {status === 'authenticated' ? 'Back to your account' : 'Log in'}
      </Link>
    </>
  );
}
