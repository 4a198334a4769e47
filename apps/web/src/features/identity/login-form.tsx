'use client';

import { ApiError } from '@repo/client';
import { loginSchema, type MfaChallenge, type MfaMethod } from '@repo/contracts';
import Link from 'next/link';
import { type ReactNode, useCallback, useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { MfaStep } from '@/features/shared/mfa-step';
import { type EndReason } from '@/lib/auth-store';
import { ResendVerification } from './resend-verification';
import { useMfaFragment } from './use-mfa-fragment';

type Field = 'email' | 'password';

const ENDED_NOTICES: Record<EndReason, string> = {
  logout: 'You have logged out.',
  other_tab: 'You were logged out in another tab.',
  expired:
    'Your session has ended (it expired, or you logged out elsewhere). Log in again to continue.',
  revoked: 'Your session was ended from another tab or device. Log in again to continue.',
};

/**
 * Email and password; then, for accounts with MFA, the code step. The other ways in are drawn by
 * their own features, and the login page passes them here.
 */
export function LoginForm({
  providers,
  passkey,
  emailCode,
}: {
  /** The provider sign-in buttons, and the notice of a provider sign-in that failed. */
  providers: ReactNode;
  /** The passkey sign-in, under the form. */
  passkey: ReactNode;
  /** The link to an email-code sign-in. */
  emailCode: ReactNode;
}) {
  const { login, ended } = useAuth();
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<{
    mfaToken: string;
    email: string;
    methods: MfaMethod[];
  } | null>(null);
  // A provider sign-in of an account with MFA resumes here, at the code step.
  useMfaFragment(
    useCallback(
      ({ mfaToken, methods }: MfaChallenge) => setChallenge({ mfaToken, email: '', methods }),
      [],
    ),
  );
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof loginSchema, Field>({
    schema: loginSchema,
    fields: ['email', 'password'],
    onStart: () => setUnverifiedEmail(null),
    submit: async (data) => {
      const outcome = await login(data);
      if ('mfaRequired' in outcome) {
        setChallenge({ mfaToken: outcome.mfaToken, email: data.email, methods: outcome.methods });
      }
      // Otherwise the session exists now and the page moves on (see GuestOnly).
    },
    onError: (error, data) => {
      if (!(ApiError.is(error) && error.code === 'email_not_verified')) return false;
      setUnverifiedEmail(data.email);
      return true;
    },
  });

  if (challenge) {
    return (
      <MfaStep
        mfaToken={challenge.mfaToken}
        methods={challenge.methods}
        onRestart={() => setChallenge(null)}
      />
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Log in</h1>
      {ended && <Notice tone="info">{ENDED_NOTICES[ended]}</Notice>}
      {providers}

      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        {unverifiedEmail && (
          <FormAlert message="Confirm your email address first: open the link we sent you.">
            <div className="mt-2">
              <ResendVerification email={unverifiedEmail} />
            </div>
          </FormAlert>
        )}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="username webauthn"
          required
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <Button type="submit" pending={pending}>
          {pending ? 'Logging in…' : 'Log in'}
        </Button>
      </form>
      {passkey}

      <div className="flex flex-col gap-2 text-sm">
        {emailCode}
        <Link href="/forgot-password" className="text-sky-700 underline dark:text-sky-400">
          Forgot your password?
        </Link>
        <p>
          No account yet?{' '}
          <Link href="/register" className="text-sky-700 underline dark:text-sky-400">
            Create one
          </Link>
        </p>
      </div>
    </div>
  );
}
