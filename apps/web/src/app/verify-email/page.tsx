import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoadingState } from '@/components/ui/states';
import { VerifyEmail } from '@/features/identity/verify-email';

export const metadata: Metadata = { title: 'Confirm your email' };

export default function VerifyEmailPage() {
  return (
    <div className="mx-auto w-full max-w-md">
      <Suspense fallback={<LoadingState label="Loading…" />}>
        <VerifyEmail />
      </Suspense>
    </div>
  );
}
