import type { Metadata } from 'next';
import { ForgotPasswordForm } from '@/features/identity/forgot-password-form';

export const metadata: Metadata = { title: 'Reset your password' };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto w-full max-w-md">
      <ForgotPasswordForm />
    </div>
  );
}
