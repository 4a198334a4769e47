'use client';

import { type MfaChallenge, type RequestEmailCode, verifyEmailCodeSchema } from '@repo/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { MfaStep } from '@/features/shared/mfa-step';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formValues, normalizeCode } from '@/lib/validation';

/**
 * The second step of an email-code sign-in or sign-up: the code from the email, with a resend
 * (which replaces the code); then the MFA step when the account has one. A success signs in, and
 * the page moves on (see GuestOnly).
 */
export function CodeStep({
  request,
  onRestart,
}: {
  /** What was asked for: the address, and the name of a sign-up. */
  request: RequestEmailCode;
  onRestart: () => void;
}) {
  const { verifyEmailCode } = useAuth();
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const resend = useMutation({
    mutationFn: () => getClients().api.emailCode.request({ body: request }),
  });
  const { formRef, errors, pending, onSubmit } = useSchemaForm<
    typeof verifyEmailCodeSchema,
    'code'
  >({
    schema: verifyEmailCodeSchema,
    fields: ['code'],
    codeFields: { invalid_code: 'code' },
    values: (form) => ({
      email: request.email,
      code: normalizeCode(formValues(form).code ?? ''),
    }),
    submit: async (data) => {
      const outcome = await verifyEmailCode(data);
      if ('mfaRequired' in outcome) setChallenge(outcome);
    },
  });

  if (challenge) {
    return (
      <MfaStep mfaToken={challenge.mfaToken} methods={challenge.methods} onRestart={onRestart} />
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Check your email</h1>
      <p role="status" className="text-sm">
        If <strong className="wrap-anywhere">{request.email}</strong>{' '}
        {request.name ? 'is free, we sent it' : 'has an account, we sent it'} a 6-digit code. It
        works once, for 10 minutes. The email also has a link that does it in one click.
      </p>
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        <TextField
          label="Code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          // The step exists for this one field: focus it, as the one-time-code autofill expects.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          required
          hint="The 6 digits from the email"
          error={errors.code}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit" pending={pending}>
            {pending ? 'Checking…' : request.name ? 'Create account' : 'Sign in'}
          </Button>
          <Button
            variant="secondary"
            onClick={() => resend.mutate()}
            pending={resend.isPending}
            disabled={resend.isSuccess}
          >
            {resend.isPending ? 'Sending…' : 'Send a new code'}
          </Button>
          <Button variant="ghost" onClick={onRestart}>
            Use another email
          </Button>
        </div>
        <p aria-live="polite" className="text-sm">
          {resend.isSuccess && 'A new code is on its way; the earlier one no longer works.'}
          {resend.isError && describeError(resend.error)}
        </p>
      </form>
    </div>
  );
}
