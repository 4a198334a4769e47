'use client';

import { type Passkey, passkeyNameSchema } from '@repo/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextField } from '@/components/ui/field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { passkeyErrorMessage } from '@/features/shared/passkey-error';
import { createPasskey } from '@/features/shared/webauthn';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { formValues } from '@/lib/validation';
import { useWebAuthnSupport } from './use-webauthn-support';

const PASSKEYS_KEY = ['passkeys'] as const;

/** Settings: the passkeys of the account; add one (named), rename, delete. */
export function PasskeysSettings() {
  const supported = useWebAuthnSupport();
  return (
    <Card
      title="Passkeys"
      description="Sign in with your fingerprint, face, screen lock or security key instead of a password."
    >
      {supported ? (
        <AddPasskeyForm />
      ) : (
        <Notice tone="info">This browser cannot make passkeys.</Notice>
      )}
      <PasskeyList />
    </Card>
  );
}

function AddPasskeyForm() {
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: async (name: string | undefined) => {
      const { passkeys } = getClients().api;
      const response = await createPasskey(await passkeys.registrationOptions());
      return passkeys.add({ body: { response, ...(name ? { name } : {}) } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY }),
  });
  const [nameError, setNameError] = useState<string>();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const raw = (formValues(form).name ?? '').trim();
    const name = raw ? passkeyNameSchema.safeParse(raw) : undefined;
    if (name && !name.success) return setNameError('At most 64 characters.');
    setNameError(undefined);
    add.mutate(name?.data, { onSuccess: () => form.reset() });
  };

  return (
    <form noValidate onSubmit={onSubmit} className="flex flex-col gap-3">
      {add.isError && <FormAlert message={passkeyErrorMessage(add.error)} />}
      {add.isSuccess && <Notice tone="success">Passkey “{add.data.name}” added.</Notice>}
      <TextField
        label="Name of the new passkey"
        name="name"
        maxLength={64}
        hint="Optional: e.g. “Work laptop”. Left empty, it is named after this browser."
        error={nameError}
      />
      <Button type="submit" pending={add.isPending} className="self-start">
        {add.isPending ? 'Waiting for your device…' : 'Add a passkey'}
      </Button>
    </form>
  );
}

function PasskeyList() {
  const passkeys = useQuery({
    queryKey: PASSKEYS_KEY,
    queryFn: ({ signal }) => getClients().api.passkeys.list({ signal }),
  });
  if (passkeys.isPending) return <LoadingState label="Loading your passkeys…" />;
  if (passkeys.isError)
    return (
      <ErrorState
        title="Could not load your passkeys"
        message={describeError(passkeys.error)}
        onRetry={() => void passkeys.refetch()}
        retrying={passkeys.isFetching}
      />
    );
  if (passkeys.data.length === 0) return <EmptyState title="No passkeys yet" />;
  return (
    <ul
      className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
      aria-label="Passkeys"
    >
      {passkeys.data.map((passkey) => (
        <PasskeyRow key={passkey.id} passkey={passkey} />
      ))}
    </ul>
  );
}

function PasskeyRow({ passkey }: { passkey: Passkey }) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const done = async () => {
    setMode('view');
    await queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY });
  };
  const rename = useMutation({
    mutationFn: (name: string) =>
      getClients().api.passkeys.rename({ params: { id: passkey.id }, body: { name } }),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => getClients().api.passkeys.remove({ params: { id: passkey.id } }),
    onSuccess: done,
  });
  const error = rename.error ?? remove.error;

  return (
    <li aria-label={passkey.name} className="flex flex-col gap-2 py-3">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 flex-col gap-0.5 text-sm">
          <p className="font-medium wrap-anywhere">{passkey.name}</p>
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {passkey.deviceType === 'multiDevice' ? 'Synced' : 'This device only'} · added{' '}
            {formatDateTime(passkey.createdAt)} · last used{' '}
            {passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : 'never'}
          </p>
        </div>
        {mode === 'view' && (
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => setMode('rename')}>
              Rename
            </Button>
            <Button variant="secondary" onClick={() => setMode('delete')}>
              Delete
            </Button>
          </div>
        )}
        {mode === 'delete' && (
          <div className="flex flex-wrap gap-2">
            <Button variant="danger" onClick={() => remove.mutate()} pending={remove.isPending}>
              {remove.isPending ? 'Deleting…' : 'Delete passkey'}
            </Button>
            <Button variant="ghost" onClick={() => setMode('view')}>
              Cancel
            </Button>
          </div>
        )}
      </div>
      {mode === 'rename' && (
        <form
          noValidate
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const name = passkeyNameSchema.safeParse(new FormData(event.currentTarget).get('name'));
            if (name.success) rename.mutate(name.data);
          }}
        >
          <TextField
            label="New name"
            name="name"
            defaultValue={passkey.name}
            maxLength={64}
            required
            // The field appears where the user clicked "Rename": focus follows them there.
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
          />
          <Button type="submit" pending={rename.isPending}>
            Save
          </Button>
          <Button variant="ghost" onClick={() => setMode('view')}>
            Cancel
          </Button>
        </form>
      )}
      {error && <FormAlert message={describeError(error)} />}
    </li>
  );
}
