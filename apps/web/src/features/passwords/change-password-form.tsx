'use client';

import { changePasswordSchema } from '@repo/contracts';
import { useState } from 'react';
import { useUser } from '@/components/providers/auth-provider';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { NewPasswordField } from '@/features/shared/new-password-field';
import { passwordProblemFields } from '@/features/shared/password-problems';
import { getClients } from '@/lib/api';

type Field = 'currentPassword' | 'newPassword';

export function ChangePasswordForm() {
  const { name, email } = useUser();
  const [done, setDone] = useState(false);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof changePasswordSchema, Field>({
    schema: changePasswordSchema,
    fields: ['currentPassword', 'newPassword'],
    codeFields: { wrong_password: 'currentPassword', ...passwordProblemFields('newPassword') },
    onStart: () => setDone(false),
    submit: async (data, form) => {
      await getClients().api.auth.changePassword({ body: data });
      form.reset();
      setDone(true);
    },
  });

  return (
    <Card
      title="Change password"
      description="Your other sessions are logged out when the password changes; this one stays."
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
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
        <NewPasswordField
          label="New password"
          name="newPassword"
          required
          hint="At least 10 characters."
          error={errors.newPassword}
          userInputs={[name, email]}
        />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Changing…' : 'Change password'}
        </Button>
      </form>
    </Card>
  );
}
