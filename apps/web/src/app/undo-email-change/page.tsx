import type { Metadata } from 'next';
import { UndoEmailChange } from '@/features/account/undo-email-change';

export const metadata: Metadata = { title: 'Undo the email change' };

export default function UndoEmailChangePage() {
  return (
    <div className="mx-auto w-full max-w-md">
      <UndoEmailChange />
    </div>
  );
}
