'use client';

import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';
import { getClients } from '@/lib/api';
import { MailedLinkPage } from './mailed-link';

const undo = (token: string) => getClients().api.account.undoEmailChange({ body: { token } });

/** Opened from the notice mailed to the old address: puts it back and signs every session out. */
export function UndoEmailChange() {
  return (
    <MailedLinkPage
      title="Undo the email change"
      working="Restoring your address…"
      action={undo}
      done={() => (
        <>
          <p role="status">
            Your account has its old address back, and every session was signed out. If you did not
            make the change, someone may know your password: choose a new one now.
          </p>
          <Link href="/forgot-password" className={buttonClasses('primary', 'self-start')}>
            Reset your password
          </Link>
        </>
      )}
    />
  );
}
