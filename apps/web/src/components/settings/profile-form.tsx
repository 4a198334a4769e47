'use client';

import { updateMeSchema } from '@repo/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { formatDateTime } from '../../lib/format';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { useAuth, useUser } from '../providers/auth-provider';
import { FormAlert, Notice } from '../ui/alerts';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { focusFirstInvalid, TextField } from '../ui/field';

type Field = 'name';

export function ProfileForm() {
  const user = useUser();
  const { setUser } = useAuth();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSaved(false);
    const values = formValues(event.currentTarget);
    const result = validateForm<typeof updateMeSchema, Field>(updateMeSchema, {
      name: values.name ?? '',
    });
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      setUser(await getClients().api.users.updateMe(result.data));
      setSaved(true);
    } catch (error) {
      setErrors(apiErrorToFieldErrors<Field>(error, ['name']));
      focusFirstInvalid(formRef.current);
    } finally {
      setPending(false);
    }
  };

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
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="flex flex-col gap-4"
      >
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
