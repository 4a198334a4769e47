'use client';

import { emailOnlySchema } from '@repo/contracts';
import Link from 'next/link';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { FormAlert, Notice } from '../ui/alerts';
import { Button } from '../ui/button';
import { focusFirstInvalid, TextField } from '../ui/field';

/** Asks for a password reset link (the API answers the same whether or not the account exists). */
export function ForgotPasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<'email'>>({});
  const [pending, setPending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm<typeof emailOnlySchema, 'email'>(
      emailOnlySchema,
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
      await getClients().api.auth.requestPasswordReset(result.data);
      setSentTo(result.data.email);
    } catch (error) {
      setErrors(apiErrorToFieldErrors(error, ['email']));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Reset your password</h1>
      {sentTo ? (
        <Notice>
          If an account exists for <strong className="wrap-anywhere">{sentTo}</strong>, we sent it a
          link to choose a new password. The link works for one hour.
        </Notice>
      ) : (
        <form
          ref={formRef}
          noValidate
          onSubmit={(e) => void onSubmit(e)}
          className="flex flex-col gap-4"
        >
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Enter the email address of your account and we will send you a link.
          </p>
          <FormAlert message={errors['']} />
          <TextField
            label="Email"
            name="email"
            type="email"
            autoComplete="email"
            required
            error={errors.email}
          />
          <Button type="submit" pending={pending}>
            {pending ? 'Sending…' : 'Send the reset link'}
          </Button>
        </form>
      )}
      <Link href="/login" className="text-sm text-sky-700 underline dark:text-sky-400">
        Back to login
      </Link>
    </div>
  );
}
