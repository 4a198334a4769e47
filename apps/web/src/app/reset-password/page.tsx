import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { ResetPasswordForm } from '@/features/identity/reset-password-form';

export const metadata: Metadata = { title: 'Choose a new password' };

export default function ResetPasswordPage() {
  return (
    <div className="mx-auto w-full max-w-md">
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <ResetPasswordForm />
      </Suspense>
    </div>
  );
}
