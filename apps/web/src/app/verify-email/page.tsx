import type { Metadata } from 'next';
import { Suspense } from 'react';
import { VerifyEmail } from '@/components/auth/verify-email';
import { LoadingState } from '@/components/ui/states';

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
