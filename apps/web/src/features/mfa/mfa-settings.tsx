'use client';

import { totpCodeBodySchema, totpDisableSchema, type TotpSetup, type User } from '@repo/contracts';
import { useState } from 'react';
import { useAuth, useUser } from '@/components/providers/auth-provider';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { TextField } from '@/components/ui/field';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formValues, normalizeCode } from '@/lib/validation';
import { QrCode } from './qr-code';

/** Fetches the user again and shows it: the API sends no event when MFA is turned on or off. */
async function refreshUser(setUser: (user: User) => void): Promise<void> {
  setUser(await getClients().api.users.me());
}

/**
 * TOTP two-factor authentication: set up (QR code and secret, confirmed with a code), the
 * recovery codes shown once, and turning it off (password and a code).
 */
export function MfaSettings() {
  const user = useUser();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);

  if (recoveryCodes) {
    return <RecoveryCodes codes={recoveryCodes} onDone={() => setRecoveryCodes(null)} />;
  }
  return (
    <Card
      title="Two-factor authentication"
      description="A code from an authenticator app on your phone, asked at every login after your password."
    >
      <p className="text-sm" data-testid="mfa-status">
        Status: <strong>{user.mfaEnabled ? 'On' : 'Off'}</strong>
      </p>
      {user.mfaEnabled ? <DisableMfa /> : <SetupMfa onEnabled={setRecoveryCodes} />}
    </Card>
  );
}

function SetupMfa({ onEnabled }: { onEnabled: (codes: string[]) => void }) {
  const { setUser } = useAuth();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);

  const start = async () => {
    setStarting(true);
    setStartError(null);
    try {
      setSetup(await getClients().api.mfa.setupTotp());
    } catch (error) {
      setStartError(describeError(error));
    } finally {
      setStarting(false);
    }
  };

  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof totpCodeBodySchema, 'code'>({
    schema: totpCodeBodySchema,
    fields: ['code'],
    codeFields: { invalid_mfa_code: 'code' },
    values: (form) => ({ code: normalizeCode(formValues(form).code ?? '') }),
    submit: async (data) => {
      const { recoveryCodes } = await getClients().api.mfa.enableTotp({ body: data });
      onEnabled(recoveryCodes);
      await refreshUser(setUser).catch(() => undefined);
    },
  });

  if (!setup) {
    return (
      <div className="flex flex-col items-start gap-3">
        <FormAlert message={startError ?? undefined} />
        <Button onClick={() => void start()} pending={starting}>
          {starting ? 'Starting…' : 'Set up two-factor authentication'}
        </Button>
      </div>
    );
  }

  return (
    <div className="flex flex-col gap-5">
      <ol className="flex list-decimal flex-col gap-4 pl-5 text-sm">
        <li className="flex flex-col gap-3">
          <span>Scan this QR code with your authenticator app.</span>
          <QrCode value={setup.otpauthUrl} />
        </li>
        <li className="flex flex-col gap-2">
          <span>Or type this secret key into the app:</span>
          <div className="flex flex-wrap items-center gap-2">
            <code
              data-testid="totp-secret"
              aria-label="Secret key"
              className="rounded-md bg-slate-100 px-2 py-1 font-mono text-sm tracking-wider break-all dark:bg-slate-800"
            >
              {setup.secret}
            </code>
            <CopyButton text={setup.secret} label="Copy secret" />
          </div>
        </li>
        <li className="flex flex-col gap-2">
          <span>Enter the 6-digit code the app shows to confirm.</span>
          <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
            <FormAlert message={errors['']} />
            <TextField
              label="Code from the app"
              name="code"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              required
              error={errors.code}
            />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" pending={pending}>
                {pending ? 'Turning on…' : 'Turn on two-factor authentication'}
              </Button>
              <Button variant="ghost" onClick={() => setSetup(null)}>
                Cancel
              </Button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = codes.join('\n');
  const download = () => {
    const url = URL.createObjectURL(new Blob([`${text}\n`], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'recovery-codes.txt';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <Card title="Save your recovery codes">
      <Notice tone="warning">
        Two-factor authentication is on. Keep these codes somewhere safe: each one logs you in once
        if you lose your phone. They are shown only now.
      </Notice>
      <ul
        data-testid="recovery-codes"
        aria-label="Recovery codes"
        className="grid grid-cols-1 gap-2 font-mono text-sm min-[360px]:grid-cols-2"
      >
        {codes.map((code) => (
          <li key={code} className="rounded-md bg-slate-100 px-2 py-1 dark:bg-slate-800">
            {code}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={text} label="Copy codes" />
        <Button variant="secondary" onClick={download}>
          Download
        </Button>
        <Button onClick={onDone}>I have saved them</Button>
      </div>
    </Card>
  );
}

type DisableField = 'password' | 'code';

function DisableMfa() {
  const { setUser } = useAuth();
  const { formRef, errors, pending, onSubmit } = useSchemaForm<
    typeof totpDisableSchema,
    DisableField
  >({
    schema: totpDisableSchema,
    fields: ['password', 'code'],
    codeFields: { wrong_password: 'password', invalid_mfa_code: 'code' },
    values: (form) => {
      const values = formValues(form);
      return { password: values.password ?? '', code: normalizeCode(values.code ?? '') };
    },
    submit: async (data) => {
      await getClients().api.mfa.disableTotp({ body: data });
      await refreshUser(setUser).catch(() => undefined);
    },
  });

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={onSubmit}
      aria-label="Turn off two-factor authentication"
      className="flex flex-col gap-4"
    >
      <p className="text-sm text-slate-600 dark:text-slate-400">
        To turn it off, confirm with your password and a code from the app (or a recovery code).
      </p>
      <FormAlert message={errors['']} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={errors.password}
      />
      <TextField
        label="Authentication code"
        name="code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        required
        hint="6 digits, or a recovery code such as abcdef-ghjkmn-pqrstu-vwxyz2"
        error={errors.code}
      />
      <Button type="submit" variant="danger" pending={pending} className="self-start">
        {pending ? 'Turning off…' : 'Turn off two-factor authentication'}
      </Button>
    </form>
  );
}
