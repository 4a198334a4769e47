'use client';

import {
  API_KEY_HEADER,
  API_KEY_SCOPES,
  type ApiKey,
  type CreatedApiKey,
  createApiKeySchema,
} from '@repo/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { TextField } from '@/components/ui/field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useSchemaForm } from '@/components/ui/use-schema-form';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { formValues } from '@/lib/validation';
import { apiKeysKeys } from './query-keys';

const SCOPE_LABELS: Record<(typeof API_KEY_SCOPES)[number], string> = {
  read: 'Read (GET requests)',
  write: 'Write (create, change and delete too)',
};

const EXPIRY_OPTIONS = [
  { value: '', label: 'Never' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
] as const;

/** API keys for scripts and servers: create (the secret shown once), list, revoke. */
export function ApiKeys() {
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <div className="flex flex-col gap-6">
      {created ? (
        <NewKeySecret created={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateApiKeyForm onCreated={setCreated} />
      )}
      <ApiKeyList />
    </div>
  );
}

type Field = 'name' | 'scopes' | 'expiresInDays';

function CreateApiKeyForm({ onCreated }: { onCreated: (created: CreatedApiKey) => void }) {
  const queryClient = useQueryClient();
  const scopesId = useId();
  const expiryId = useId();
  const { formRef, errors, pending, onSubmit } = useSchemaForm<typeof createApiKeySchema, Field>({
    schema: createApiKeySchema,
    fields: ['name', 'scopes', 'expiresInDays'],
    values: (form) => {
      const values = formValues(form);
      const scopes = new FormData(form).getAll('scopes').filter((v) => typeof v === 'string');
      return {
        name: values.name ?? '',
        scopes,
        ...(values.expiresInDays ? { expiresInDays: Number(values.expiresInDays) } : {}),
      };
    },
    submit: async (data) => {
      onCreated(await getClients().api.apiKeys.create({ body: data }));
      await queryClient.invalidateQueries({ queryKey: apiKeysKeys.all });
    },
  });

  return (
    <Card
      title="Create an API key"
      description={
        <>
          For scripts and servers: send it in the <code>{API_KEY_HEADER}</code> header.
        </>
      }
    >
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex flex-col gap-4">
        <FormAlert message={errors['']} />
        <TextField
          label="Key name"
          name="name"
          required
          maxLength={100}
          hint="What uses it, e.g. “backup script”."
          error={errors.name}
        />
        <fieldset
          className="flex flex-col gap-2"
          aria-describedby={errors.scopes ? `${scopesId}-error` : undefined}
        >
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={scope}
                defaultChecked={scope === 'read'}
                className="size-4 accent-sky-700"
              />
              {SCOPE_LABELS[scope]}
            </label>
          ))}
          {errors.scopes && (
            <p
              id={`${scopesId}-error`}
              role="alert"
              className="text-sm text-red-700 dark:text-red-400"
            >
              {errors.scopes}
            </p>
          )}
        </fieldset>
        <div className="flex flex-col gap-1.5">
          <label htmlFor={expiryId} className="text-sm font-medium">
            Expires
          </label>
          <select
            id={expiryId}
            name="expiresInDays"
            defaultValue=""
            className="block w-full max-w-xs rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900"
          >
            {EXPIRY_OPTIONS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <Button type="submit" pending={pending} className="self-start">
          {pending ? 'Creating…' : 'Create API key'}
        </Button>
      </form>
    </Card>
  );
}

function NewKeySecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  return (
    <Card title={`API key “${created.apiKey.name}” created`}>
      <Notice tone="warning">
        Copy the key now: it is shown only this once. Only a hash of it is stored.
      </Notice>
      <code
        data-testid="api-key-secret"
        aria-label="New API key"
        className="block rounded-md bg-slate-100 px-3 py-2 font-mono text-sm break-all dark:bg-slate-800"
      >
        {created.secret}
      </code>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={created.secret} label="Copy key" />
        <Button onClick={onDone}>Done</Button>
      </div>
    </Card>
  );
}

function ApiKeyList() {
  const keys = useQuery({
    queryKey: apiKeysKeys.all,
    queryFn: ({ signal }) => getClients().api.apiKeys.list({ signal }),
  });

  return (
    <Card title="Your API keys">
      {keys.isPending ? (
        <LoadingState label="Loading your API keys…" />
      ) : keys.isError ? (
        <ErrorState
          title="Could not load your API keys"
          message={describeError(keys.error)}
          onRetry={() => void keys.refetch()}
          retrying={keys.isFetching}
        />
      ) : keys.data.length === 0 ? (
        <EmptyState title="No API keys yet" />
      ) : (
        <ul
          className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
          aria-label="API keys"
        >
          {keys.data.map((key) => (
            <ApiKeyRow key={key.id} apiKey={key} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => getClients().api.apiKeys.revoke({ params: { id: apiKey.id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKeys.all }),
  });
  return (
    <li aria-label={apiKey.name} className="flex flex-wrap items-start justify-between gap-3 py-3">
      <div className="flex min-w-0 flex-col gap-0.5 text-sm">
        <p className="font-medium wrap-anywhere">{apiKey.name}</p>
        <p className="text-xs text-slate-500 dark:text-slate-400">
          <code>{apiKey.prefix}…</code> · {apiKey.scopes.join(', ')} · created{' '}
          {formatDateTime(apiKey.createdAt)} · last used{' '}
          {apiKey.lastUsedAt ? formatDateTime(apiKey.lastUsedAt) : 'never'} ·{' '}
          {apiKey.expiresAt ? `expires ${formatDateTime(apiKey.expiresAt)}` : 'no expiry'}
        </p>
        {revoke.isError && <FormAlert message={describeError(revoke.error)} />}
      </div>
      {confirming ? (
        <div className="flex flex-wrap gap-2">
          <Button variant="danger" onClick={() => revoke.mutate()} pending={revoke.isPending}>
            {revoke.isPending ? 'Revoking…' : 'Revoke key'}
          </Button>
          <Button variant="ghost" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" onClick={() => setConfirming(true)}>
          Revoke
        </Button>
      )}
    </li>
  );
}
