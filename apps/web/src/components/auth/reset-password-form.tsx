'use client';

import { ApiError } from '@repo/client';
import { resetPasswordSchema } from '@repo/contracts';
import Link from 'next/link';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { FormAlert } from '../ui/alerts';
import { Button, buttonClasses } from '../ui/button';
import { focusFirstInvalid, TextField } from '../ui/field';
import { useUrlToken } from './use-url-token';

type Field = 'password' | 'token';

/** Opened from the mailed link: sets a new password (which ends every session). */
export function ResetPasswordForm() {
  const token = useUrlToken();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);
  const [linkInvalid, setLinkInvalid] = useState(false);
  const [done, setDone] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const result = validateForm<typeof resetPasswordSchema, Field>(resetPasswordSchema, {
      token,
      password: formValues(event.currentTarget).password ?? '',
    });
    if (!result.success) {
      if (result.errors.token) return setLinkInvalid(true);
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await getClients().api.auth.resetPassword(result.data);
      setDone(true);
    } catch (error) {
      if (ApiError.is(error) && error.code === 'link_invalid') setLinkInvalid(true);
      else setErrors(apiErrorToFieldErrors<Field>(error, ['password']));
    } finally {
      setPending(false);
    }
  };

  if (done) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Password changed</h1>
        <p role="status">Your new password is set. For your safety every session was logged out.</p>
        <Link href="/login" className={buttonClasses('primary', 'self-start')}>
          Log in
        </Link>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
      {!token || linkInvalid ? (
        <FormAlert message="This reset link is invalid, was already used, or has expired.">
          <p className="mt-2">
            <Link href="/forgot-password" className="underline">
              Ask for a new link
            </Link>
          </p>
        </FormAlert>
      ) : (
        <form
          ref={formRef}
          noValidate
          onSubmit={(e) => void onSubmit(e)}
          className="flex flex-col gap-4"
        >
          <FormAlert message={errors['']} />
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
            hint="At least 10 characters."
            error={errors.password}
          />
          <Button type="submit" pending={pending}>
            {pending ? 'Saving…' : 'Set the new password'}
          </Button>
        </form>
      )}
    </div>
  );
}
