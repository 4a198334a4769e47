'use client';

import { updateMeSchema } from '@repo/contracts';
import { useState } from 'react';
import { useAuth, useUser } from '@/components/providers/auth-provider';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { formatDateTime } from '@/lib/format';
import { formValues } from '@/lib/validation';

type Field = 'name';

export function ProfileForm() {
  const user = useUser();
  const { setUser } = useAuth();
  const [saved, setSaved] = useState(false);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof updateMeSchema, Field>({
    schema: updateMeSchema,
    fields: ['name'],
    onStart: () => setSaved(false),
    values: (form) => ({ name: formValues(form).name ?? '' }),
    submit: async (data) => {
      setUser(await getClients().api.users.updateMe({ body: data }));
      setSaved(true);
    },
  });

  return (
    <Card title="Profile">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500 dark:text-slate-400">Email</dt>
        <dd className="font-medium wrap-anywhere">
          {user.email}{' '}
          <span className="text-xs font-normal text-slate-500 dark:text-slate-400">
            ({user.emailVerified ? 'confirmed' : 'not confirmed'})
          </span>
        </dd>
        <dt className="text-slate-500 dark:text-slate-400">Member since</dt>
        <dd className="font-medium">{formatDateTime(user.createdAt)}</dd>
      </dl>
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        {saved && <Notice>Your profile is saved.</Notice>}
        <TextField
          // A change from another tab or device (user.updated) shows here.
          key={user.name}
          label="Name"
          name="name"
          autoComplete="name"
          defaultValue={user.name}
          required
          maxLength={100}
          error={errors.name}
          onChange={() => setSaved(false)}
        />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Saving…' : 'Save profile'}
        </Button>
      </form>
    </Card>
  );
}
