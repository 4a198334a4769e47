'use client';

import { changePasswordSchema } from '@repo/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { FormAlert, Notice } from '../ui/alerts';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { focusFirstInvalid, TextField } from '../ui/field';

type Field = 'currentPassword' | 'newPassword';

export function ChangePasswordForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDone(false);
    const form = event.currentTarget;
    const result = validateForm<typeof changePasswordSchema, Field>(
      changePasswordSchema,
      formValues(form),
    );
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await getClients().api.auth.changePassword(result.data);
      form.reset();
      setDone(true);
    } catch (error) {
      setErrors(
        apiErrorToFieldErrors<Field>(error, ['currentPassword', 'newPassword'], {
          wrong_password: 'currentPassword',
        }),
      );
      focusFirstInvalid(formRef.current);
    } finally {
      setPending(false);
    }
  };

  return (
    <Card
      title="Change password"
      description="Your other sessions are logged out when the password changes; this one stays."
    >
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="flex flex-col gap-4"
      >
        <FormAlert message={errors['']} />
        {done && <Notice>Your password is changed. Your other sessions were logged out.</Notice>}
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={errors.currentPassword}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          hint="At least 10 characters."
          error={errors.newPassword}
        />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Changing…' : 'Change password'}
        </Button>
      </form>
    </Card>
  );
}
