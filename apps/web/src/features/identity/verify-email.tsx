'use client';

import { ApiError } from '@repo/client';
import { emailOnlySchema, type User } from '@repo/contracts';
import Link from 'next/link';
import { type FormEvent, useEffect, useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button, buttonClasses } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { LoadingState } from '@/components/ui/states';
import { describeError } from '@/lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '@/lib/validation';
import { ResendVerification } from './resend-verification';
import { useUrlToken } from './use-url-token';
import { verifyEmailOnce } from './verify-once';

type State =
  { kind: 'verifying' } | { kind: 'verified'; user: User } | { kind: 'failed'; error: unknown };

/** Opened from the mailed link: confirms the address on load, then offers to log in. */
export function VerifyEmail() {
  const token = useUrlToken();
  const [state, setState] = useState<State>({ kind: 'verifying' });

  useEffect(() => {
    if (!token) return;
    let live = true;
    verifyEmailOnce(token).then(
      (user) => live && setState({ kind: 'verified', user }),
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [token]);

  if (!token) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Confirm your email</h1>
        <FormAlert message="This link has no token. Open the link from the email exactly as it is, or ask for a new one." />
        <AskForNewLink />
      </div>
    );
  }
  if (state.kind === 'verifying') {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Confirm your email</h1>
        <LoadingState label="Confirming your email address…" />
      </div>
    );
  }
  if (state.kind === 'verified') return <Verified user={state.user} />;

  const invalid = ApiError.is(state.error) && state.error.code === 'link_invalid';
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Confirm your email</h1>
      <FormAlert
        message={
          invalid
            ? 'This link is invalid, was already used, or has expired.'
            : describeError(state.error)
        }
      />
      {invalid && <AskForNewLink />}
    </div>
  );
}

function Verified({ user }: { user: User }) {
  const { status } = useAuth();
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Email confirmed</h1>
      <p role="status">
        Thank you, {user.name}: <strong className="wrap-anywhere">{user.email}</strong> is
        confirmed.
      </p>
      {status === 'authenticated' ? (
        <Link href="/dashboard" className={buttonClasses('primary', 'self-start')}>
          Go to the dashboard
        </Link>
      ) : (
        <Link href="/login" className={buttonClasses('primary', 'self-start')}>
          Log in
        </Link>
      )}
    </div>
  );
}

/** An email field that asks for a new verification link. */
function AskForNewLink() {
  const [email, setEmail] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors<'email'>>({});

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm<typeof emailOnlySchema, 'email'>(
      emailOnlySchema,
      formValues(event.currentTarget),
    );
    if (!result.success) return setErrors(result.errors);
    setErrors({});
    setEmail(result.data.email);
  };

  if (email) return <ResendVerification email={email} />;
  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        required
        error={errors.email}
      />
      <Button type="submit" variant="secondary" className="self-start">
        Continue
      </Button>
    </form>
  );
}
