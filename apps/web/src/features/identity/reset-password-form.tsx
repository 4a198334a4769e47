'use client';

import { ApiError } from '@repo/client';
import { resetPasswordSchema } from '@repo/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button, buttonClasses } from '@/components/ui/button';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { NewPasswordField } from '@/features/shared/new-password-field';
import { passwordProblemFields } from '@/features/shared/password-problems';
import { getClients } from '@/lib/api';
import { formValues } from '@/lib/validation';
import { useUrlToken } from './use-url-token';

type Field = 'password' | 'token';

/** Opened from the mailed link: sets a new password (which ends every session). */
export function ResetPasswordForm() {
  const token = useUrlToken();
  const [linkInvalid, setLinkInvalid] = useState(false);
  const [done, setDone] = useState(false);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof resetPasswordSchema, Field>({
    schema: resetPasswordSchema,
    fields: ['password'],
    codeFields: passwordProblemFields('password'),
    focusApiErrors: false,
    values: (form) => ({ token, password: formValues(form).password ?? '' }),
    onInvalid: (errors) => {
      if (!errors.token) return false;
      setLinkInvalid(true);
      return true;
    },
    submit: async (data) => {
      await getClients().api.auth.resetPassword({ body: data });
      setDone(true);
    },
    onError: (error) => {
      if (!(ApiError.is(error) && error.code === 'link_invalid')) return false;
      setLinkInvalid(true);
      return true;
    },
  });

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
        <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
          <FormAlert message={errors['']} />
          <NewPasswordField
            label="New password"
            name="password"
            required
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
