'use client';

import { setPasswordSchema } from '@repo/contracts';
import { useAuth, useUser } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { NewPasswordField } from '@/features/shared/new-password-field';
import { passwordProblemFields } from '@/features/shared/password-problems';
import { getClients } from '@/lib/api';

/** A first password, for an account that signs in without one (an email code, say). */
export function SetPasswordForm() {
  const { setUser } = useAuth();
  const { name, email } = useUser();
  const { formRef, errors, pending, onSubmit } = useSchemaForm<
    typeof setPasswordSchema,
    'password'
  >({
    schema: setPasswordSchema,
    fields: ['password'],
    codeFields: passwordProblemFields('password'),
    submit: async (data) => {
      // The page then shows the change form (the user now has a password).
      setUser(await getClients().api.password.set({ body: data }));
    },
  });

  return (
    <Card
      title="Set a password"
      description="Your account has no password: you sign in with a code we email you. Add one to log in with it too."
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        <NewPasswordField
          label="New password"
          name="password"
          required
          hint="At least 10 characters."
          error={errors.password}
          userInputs={[name, email]}
        />
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Setting…' : 'Set password'}
        </Button>
      </form>
    </Card>
  );
}
