'use client';

import { registerSchema } from '@repo/contracts';
import Link from 'next/link';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { FormAlert } from '../ui/alerts';
import { Button, buttonClasses } from '../ui/button';
import { focusFirstInvalid, TextField } from '../ui/field';
import { ResendVerification } from './resend-verification';

type Field = 'name' | 'email' | 'password';
const FIELDS: readonly Field[] = ['name', 'email', 'password'];

/** Creates an account; the API mails a verification link. */
export function RegisterForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm<typeof registerSchema, Field>(
      registerSchema,
      formValues(event.currentTarget),
    );
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      const user = await getClients().api.auth.register(result.data);
      setRegistered(user.email);
    } catch (error) {
      setErrors(apiErrorToFieldErrors<Field>(error, FIELDS, { email_taken: 'email' }));
      focusFirstInvalid(formRef.current);
    } finally {
      setPending(false);
    }
  };

  if (registered) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Check your email</h1>
        <p role="status">
          We sent a link to <strong className="wrap-anywhere">{registered}</strong>. Open it to
          confirm your address, then log in.
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Running locally without SMTP? The API writes the email to its log and to{' '}
          <code>GET /api/v1/dev/outbox</code>.
        </p>
        <ResendVerification email={registered} />
        <Link href="/login" className={buttonClasses('primary', 'self-start')}>
          Go to login
        </Link>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="flex flex-col gap-4"
      >
        <FormAlert message={errors['']} />
        <TextField label="Name" name="name" autoComplete="name" required error={errors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters. A long passphrase is best."
          error={errors.password}
        />
        <Button type="submit" pending={pending}>
          {pending ? 'Creating your account…' : 'Create account'}
        </Button>
      </form>
      <p className="text-sm">
        Already have an account?{' '}
        <Link href="/login" className="text-sky-700 underline dark:text-sky-400">
          Log in
        </Link>
      </p>
    </div>
  );
}
