'use client';

import { createNoteSchema } from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { getClients } from '../../lib/api';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { queryKeys } from '../../lib/query-keys';
import { type FieldErrors, formValues, validateForm } from '../../lib/validation';
import { FormAlert } from '../ui/alerts';
import { Button } from '../ui/button';
import { Card } from '../ui/card';
import { focusFirstInvalid, TextAreaField, TextField } from '../ui/field';

type Field = 'title' | 'body';

export function NewNoteForm({ onCreated }: { onCreated: () => void }) {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const result = validateForm<typeof createNoteSchema, Field>(createNoteSchema, formValues(form));
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await getClients().api.notes.create(result.data);
      form.reset();
      onCreated();
      await queryClient.invalidateQueries({ queryKey: queryKeys.notes });
    } catch (error) {
      setErrors(apiErrorToFieldErrors<Field>(error, ['title', 'body']));
      focusFirstInvalid(formRef.current);
    } finally {
      setPending(false);
    }
  };

  return (
    <Card title="New note">
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void onSubmit(e)}
        className="flex flex-col gap-4"
      >
        <FormAlert message={errors['']} />
        <TextField label="Title" name="title" required maxLength={200} error={errors.title} />
        <TextAreaField label="Body" name="body" rows={3} maxLength={10_000} error={errors.body} />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Adding…' : 'Add note'}
        </Button>
      </form>
    </Card>
  );
}
