'use client';

import { emailOnlySchema } from '@repo/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';

/** Asks for a password reset link (the API answers the same whether or not the account exists). */
export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof emailOnlySchema, 'email'>({
    schema: emailOnlySchema,
    fields: ['email'],
    focusApiErrors: false,
    submit: async (data) => {
      await getClients().api.auth.requestPasswordReset({ body: data });
      setSentTo(data.email);
    },
  });

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Reset your password</h1>
      {sentTo ? (
        <Notice>
          If an account exists for <strong className="wrap-anywhere">{sentTo}</strong>, we sent it a
          link to choose a new password. The link works for one hour.
        </Notice>
      ) : (
        <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
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
