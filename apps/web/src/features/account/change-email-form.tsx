'use client';

import { changeEmailSchema } from '@repo/contracts';
import { useState } from 'react';
import { useUser } from '@/components/providers/auth-provider';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { formValues } from '@/lib/validation';

/** Asks for a new address; the switch happens when the link mailed there is opened. */
export function ChangeEmailForm() {
  const user = useUser();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof changeEmailSchema, 'email'>({
    schema: changeEmailSchema,
    fields: ['email'],
    onStart: () => setSentTo(null),
    values: (form) => ({ email: formValues(form).email ?? '' }),
    submit: async (data) => {
      await getClients().api.account.requestEmailChange({ body: data });
      setSentTo(data.email);
    },
  });

  return (
    <Card
      title="Change email"
      description={
        <>
          Your account uses <strong className="wrap-anywhere">{user.email}</strong>. We mail a link
          to the new address; your address changes when you open it.
        </>
      }
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        {sentTo && (
          <Notice>
            If <strong className="wrap-anywhere">{sentTo}</strong> can be used, a confirmation link
            is on its way there.
          </Notice>
        )}
        <TextField
          label="New email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Sending…' : 'Send confirmation link'}
        </Button>
      </form>
    </Card>
  );
}
