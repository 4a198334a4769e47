'use client';

import { createNoteSchema } from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextAreaField, TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { notesKeys } from './query-keys';

type Field = 'title' | 'body';

export function NewNoteForm({ onCreated }: { onCreated: () => void }) {
  const queryClient = useQueryClient();
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof createNoteSchema, Field>({
    schema: createNoteSchema,
    fields: ['title', 'body'],
    submit: async (data, form) => {
      await getClients().api.notes.create({ body: data });
      form.reset();
      onCreated();
      await queryClient.invalidateQueries({ queryKey: notesKeys.all });
    },
  });

  return (
    <Card title="New note">
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
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
