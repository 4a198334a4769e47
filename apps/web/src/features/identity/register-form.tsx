'use client';

import { registerSchema } from '@repo/contracts';
import Link from 'next/link';
import { type ReactNode, useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button, buttonClasses } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { NewPasswordField } from '@/features/shared/new-password-field';
import { passwordProblemFields } from '@/features/shared/password-problems';
import { getClients } from '@/lib/api';
import { ResendVerification } from './resend-verification';

type Field = 'name' | 'email' | 'password';
const FIELDS: readonly Field[] = ['name', 'email', 'password'];

/**
 * Creates an account. The API answers alike whether or not the address has an account (no
 * enumeration): a new one gets the verification link, a registered one's owner a notice.
 */
export function RegisterForm({
  providers,
  emailCode,
}: {
  /** The provider sign-up buttons (drawn by their feature, passed by the register page). */
  providers: ReactNode;
  /** The link to an email-code sign-up (likewise). */
  emailCode: ReactNode;
}) {
  const [registered, setRegistered] = useState<string | null>(null);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof registerSchema, Field>({
    schema: registerSchema,
    fields: FIELDS,
    codeFields: passwordProblemFields('password'),
    submit: async (data) => {
      await getClients().api.auth.register({ body: data });
      setRegistered(data.email);
    },
  });

  if (registered) {
    return (
      <div className="flex flex-col gap-4">
        <h1 className="text-2xl font-semibold tracking-tight">Check your email</h1>
        <p role="status">
          We sent an email to <strong className="wrap-anywhere">{registered}</strong>. Open its link
          to confirm your address, then log in. Already have an account with this address? The email
          says so, with a link to log in.
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Running locally without SMTP? The API writes the email to its log and to{' '}
          <code>GET /api/v1/dev/outbox</code>.
        </p>
        <ResendVerification email={registered} />
        <Link href="/login" className={buttonClasses('primary', 'self-start')}>
          Go to login
        </Link>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Create an account</h1>
      {providers}
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        <TextField label="Name" name="name" autoComplete="name" required error={errors.name} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          error={errors.email}
        />
        <NewPasswordField
          label="Password"
          name="password"
          required
          hint="At least 10 characters. A long passphrase is best."
          error={errors.password}
        />
        <Button type="submit" pending={pending}>
          {pending ? 'Creating your account…' : 'Create account'}
        </Button>
      </form>
      {emailCode}
      <p className="text-sm">
        Already have an account?{' '}
        <Link href="/login" className="text-sky-700 underline dark:text-sky-400">
          Log in
        </Link>
      </p>
    </div>
  );
}
