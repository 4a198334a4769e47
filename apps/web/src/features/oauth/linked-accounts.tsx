'use client';

import { type LinkedAccount, type OAuthProvider } from '@repo/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useRef, useState } from 'react';
import { FormAlert, Notice } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';
import { formatDateTime } from '@/lib/format';
import { oauthMessage } from './oauth-messages';
import { useOAuthProviders } from './use-oauth-providers';

const ACCOUNTS = ['oauth-accounts'] as const;

/**
 * What the provider flow's return to this page says (`?oauth_linked=`, `?oauth_error=`,
 * `?oauth_link=pending`): read once, then taken out of the address bar.
 */
function useReturn() {
  const searchParams = useSearchParams();
  const [search] = useState(() => new URLSearchParams(searchParams.toString()));
  useEffect(() => {
    if (!window.location.search) return;
    window.history.replaceState(window.history.state, '', window.location.pathname);
  }, []);
  return search;
}

/** The provider accounts linked to this account: link another, unlink one (never the last way in). */
export function LinkedAccounts() {
  return (
    <Suspense fallback={null}>
      <LinkedAccountsCard />
    </Suspense>
  );
}

function LinkedAccountsCard() {
  const queryClient = useQueryClient();
  const providers = useOAuthProviders();
  const accounts = useQuery({
    queryKey: ACCOUNTS,
    queryFn: ({ signal }) => getClients().api.oauth.accounts({ signal }),
  });
  const search = useReturn();
  const linkedNow = search.get('oauth_linked');
  const returned = oauthMessage(search);

  // Back from the login page that said "log in to link": link what waits in this browser.
  const pending = useMutation({
    mutationFn: () => getClients().api.oauth.linkPending(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ACCOUNTS }),
  });
  const asked = useRef(false);
  useEffect(() => {
    if (search.get('oauth_link') !== 'pending' || asked.current) return;
    asked.current = true;
    pending.mutate();
  }, [search, pending]);

  if (!providers.data?.length && !accounts.data?.length) return null;
  const nameOf = (id: string) =>
    providers.data?.find((p) => p.id === id)?.name ??
    accounts.data?.find((a) => a.provider === id)?.providerName ??
    id;

  return (
    <Card title="Linked accounts" description="Sign in with an account you already have elsewhere.">
      <div className="flex flex-col gap-3" data-testid="linked-accounts">
        {linkedNow && <Notice>{nameOf(linkedNow)} is now linked.</Notice>}
        {pending.isSuccess && <Notice>{pending.data.providerName} is now linked.</Notice>}
        {pending.isError && <FormAlert message={describeError(pending.error)} />}
        {returned && <FormAlert message={returned.text} />}
        {accounts.isPending ? (
          <LoadingState label="Loading your linked accounts…" />
        ) : accounts.isError ? (
          <ErrorState
            title="Could not load your linked accounts"
            message={describeError(accounts.error)}
            onRetry={() => void accounts.refetch()}
            retrying={accounts.isFetching}
          />
        ) : (
          <ul
            className="flex flex-col divide-y divide-slate-200 dark:divide-slate-800"
            aria-label="Linked accounts"
          >
            {accounts.data.map((account) => (
              <AccountRow key={account.id} account={account} />
            ))}
          </ul>
        )}
        <LinkButtons providers={providers.data ?? []} linked={accounts.data ?? []} />
      </div>
    </Card>
  );
}

function AccountRow({ account }: { account: LinkedAccount }) {
  const queryClient = useQueryClient();
  const unlink = useMutation({
    mutationFn: () => getClients().api.oauth.unlink({ params: { id: account.id } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ACCOUNTS }),
  });
  return (
    <li
      className="flex flex-wrap items-center justify-between gap-3 py-3"
      aria-label={account.providerName}
    >
      <div className="flex flex-col text-sm">
        <span className="font-medium">{account.providerName}</span>
        <span className="text-xs text-slate-500 dark:text-slate-400">
          {account.email ?? 'No email'} · linked {formatDateTime(account.createdAt)}
        </span>
        {unlink.isError && <FormAlert message={describeError(unlink.error)} />}
      </div>
      <Button variant="secondary" pending={unlink.isPending} onClick={() => unlink.mutate()}>
        Unlink
      </Button>
    </li>
  );
}

/** A top-level navigation carries no access token: the API gives the provider URL to go to. */
function LinkButtons({
  providers,
  linked,
}: {
  providers: OAuthProvider[];
  linked: LinkedAccount[];
}) {
  const start = useMutation({
    mutationFn: (id: OAuthProvider['id']) =>
      getClients().api.oauth.link({ params: { provider: id } }),
    onSuccess: ({ url }) => window.location.assign(url),
  });
  const available = providers.filter((p) => !linked.some((a) => a.provider === p.id));
  if (available.length === 0) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {start.isError && <FormAlert message={describeError(start.error)} />}
      {available.map((p) => (
        <Button
          key={p.id}
          variant="secondary"
          pending={start.isPending && start.variables === p.id}
          onClick={() => start.mutate(p.id)}
        >
          Link {p.name}
        </Button>
      ))}
    </div>
  );
}
