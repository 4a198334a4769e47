'use client';

import { ApiError } from '@repo/client';
import { verifyMfaSchema } from '@repo/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { apiErrorToFieldErrors } from '../../lib/form-errors';
import { type FieldErrors, formValues, normalizeCode, validateForm } from '../../lib/validation';
import { useAuth } from '../providers/auth-provider';
import { FormAlert } from '../ui/alerts';
import { Button } from '../ui/button';
import { focusFirstInvalid, TextField } from '../ui/field';

type Field = 'code';

/** The second login step: a TOTP code from the authenticator app, or a recovery code. */
export function MfaStep({ mfaToken, onRestart }: { mfaToken: string; onRestart: () => void }) {
  const { verifyMfa } = useAuth();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [expired, setExpired] = useState(false);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = normalizeCode(formValues(event.currentTarget).code ?? '');
    const result = validateForm<typeof verifyMfaSchema, Field>(verifyMfaSchema, {
      mfaToken,
      code,
    });
    if (!result.success) {
      setErrors(result.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setPending(true);
    try {
      await verifyMfa(result.data);
      // The session exists now: the page moves on (see GuestOnly).
    } catch (error) {
      if (ApiError.is(error) && error.isAuthError()) {
        setExpired(true); // the challenge expired or was used up
      } else {
        setErrors(apiErrorToFieldErrors<Field>(error, ['code'], { invalid_mfa_code: 'code' }));
        focusFirstInvalid(formRef.current);
      }
    } finally {
      setPending(false);
    }
  };

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
        <form
          ref={formRef}
          noValidate
          onSubmit={(e) => void onSubmit(e)}
          className="flex flex-col gap-4"
        >
          <FormAlert message={errors['']} />
          <TextField
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            autoFocus
            required
            hint="6 digits, or a recovery code such as abcde-12345"
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
    </div>
  );
}
