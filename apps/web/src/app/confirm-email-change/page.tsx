import type { Metadata } from 'next';
import { ConfirmEmailChange } from '@/features/account/confirm-email-change';

export const metadata: Metadata = { title: 'Confirm your new email' };

export default function ConfirmEmailChangePage() {
  return (
    <div className="mx-auto w-full max-w-md">
      <ConfirmEmailChange />
    </div>
  );
}
