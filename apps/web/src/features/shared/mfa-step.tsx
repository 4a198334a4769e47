'use client';

import { ApiError } from '@repo/client';
import { type MfaMethod, verifyMfaSchema } from '@repo/contracts';
import { useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { formValues, normalizeCode } from '@/lib/validation';
import { PasskeyMfa } from './passkey-mfa';

type Field = 'code';

/** The second login step: a TOTP code from the authenticator app, a recovery code, or a passkey. */
export function MfaStep({
  mfaToken,
  methods,
  onRestart,
}: {
  mfaToken: string;
  methods: MfaMethod[];
  onRestart: () => void;
}) {
  const { verifyMfa } = useAuth();
  const [expired, setExpired] = useState(false);
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof verifyMfaSchema, Field>({
    schema: verifyMfaSchema,
    fields: ['code'],
    codeFields: { invalid_mfa_code: 'code' },
    values: (form) => ({ mfaToken, code: normalizeCode(formValues(form).code ?? '') }),
    submit: async (data) => {
      await verifyMfa(data);
      // The session exists now: the page moves on (see GuestOnly).
    },
    onError: (error) => {
      if (!(ApiError.is(error) && error.isAuthError())) return false;
      setExpired(true); // the challenge expired or was used up
      return true;
    },
  });

  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold tracking-tight">Two-factor authentication</h1>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Enter the 6-digit code of your authenticator app. Lost it? One of your recovery codes works
        too, once.
      </p>
      {expired ? (
        <FormAlert message="This login attempt has expired. Start again with your password.">
          <div className="mt-2">
            <Button variant="secondary" onClick={onRestart}>
              Start again
            </Button>
          </div>
        </FormAlert>
      ) : (
        <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
          <FormAlert message={errors['']} />
          <TextField
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            // The step exists for this one field: focus it, as the one-time-code autofill expects.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            required
            hint="6 digits, or a recovery code such as abcdef-ghjkmn-pqrstu-vwxyz2"
            error={errors.code}
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" pending={pending}>
              {pending ? 'Verifying…' : 'Verify'}
            </Button>
            <Button variant="ghost" onClick={onRestart}>
              Back
            </Button>
          </div>
        </form>
      )}
      {!expired && methods.includes('passkey') && (
        <PasskeyMfa mfaToken={mfaToken} onExpired={() => setExpired(true)} />
      )}
    </div>
  );
}
