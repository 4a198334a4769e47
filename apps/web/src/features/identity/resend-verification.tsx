'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';

/** Mails a new verification link to `email` (the API answers the same whether or not it exists). */
export function ResendVerification({ email }: { email: string }) {
  const resend = useMutation({
    mutationFn: () => getClients().api.auth.resendVerification({ body: { email } }),
  });
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        variant="secondary"
        onClick={() => resend.mutate()}
        pending={resend.isPending}
        disabled={resend.isSuccess}
      >
        {resend.isPending ? 'Sending…' : 'Resend the verification email'}
      </Button>
      <p aria-live="polite" className="text-sm">
        {resend.isSuccess && `If ${email} is waiting for confirmation, a new link is on its way.`}
        {resend.isError && describeError(resend.error)}
      </p>
    </div>
  );
}
