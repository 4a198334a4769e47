'use client';

import { type RequestEmailCode, requestEmailCodeSchema } from '@repo/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { CodeStep } from './code-step';

type Field = 'name' | 'email';

/**
 * Passwordless sign-in (`signUp` false) or sign-up (true, with a name): the address first, then
 * the mailed code. The API answers the same whether or not the address has an account.
 */
export function RequestCodeForm({ signUp }: { signUp: boolean }) {
  const [requested, setRequested] = useState<RequestEmailCode | null>(null);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<
    typeof requestEmailCodeSchema,
    Field
  >({
    schema: requestEmailCodeSchema,
    fields: signUp ? ['name', 'email'] : ['email'],
    submit: async (data) => {
      await getClients().api.emailCode.request({ body: data });
      setRequested(data);
    },
  });

  if (requested) return <CodeStep request={requested} onRestart={() => setRequested(null)} />;

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">
        {signUp ? 'Sign up with an email code' : 'Log in with an email code'}
      </h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        {signUp
          ? 'No password needed: we email you a code that creates your account. You can add a password later.'
          : 'We email you a one-time code; no password needed.'}
      </p>
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        {signUp && (
          <TextField label="Name" name="name" autoComplete="name" required error={errors.name} />
        )}
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <Button type="submit" pending={pending}>
          {pending ? 'Sending…' : 'Email me a code'}
        </Button>
      </form>
      <p className="text-sm">
        {signUp ? 'Rather use a password? ' : 'Rather use your password? '}
        <Link
          href={signUp ? '/register' : '/login'}
          className="text-sky-700 underline dark:text-sky-400"
        >
          {signUp ? 'Create an account with one' : 'Log in with it'}
        </Link>
      </p>
    </div>
  );
}
