'use client';

import { type OAuthProviderId } from '@repo/contracts';
import { useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { Notice } from '@/components/ui/alerts';
import { env } from '@/env';
import { getClients } from '@/lib/api';
import { safeNextPath } from '@/lib/safe-next';
import { oauthMessage } from './oauth-messages';
import { useOAuthProviders } from './use-oauth-providers';

/**
 * The API's start URL of a provider: a plain navigation (no access token goes with it), so the
 * provider's pages open in this tab and its redirect back sets the session's cookie.
 */
function startUrl(provider: OAuthProviderId, next: string | null): string {
  const query = next ? `?${new URLSearchParams({ next }).toString()}` : '';
  return `${env.NEXT_PUBLIC_API_URL}/auth/oauth/${provider}/start${query}`;
}

/** "Continue with …" for each provider the API has on; nothing when none is. */
export function ProviderButtons() {
  return (
    <Suspense fallback={null}>
      <Buttons />
    </Suspense>
  );
}

function Buttons() {
  const providers = useOAuthProviders();
  const search = useSearchParams();
  if (!providers.data?.length) return null;
  const next = safeNextPath(search.get('next'));
  return (
    <div className="flex flex-col gap-2" aria-label="Sign in with a provider" role="group">
      {providers.data.map((p) => (
        <a
          key={p.id}
          href={startUrl(p.id, next)}
          // The provider's redirect back sets the refresh cookie: the next load looks for it.
          onClick={() => getClients().api.expectSession()}
          className="rounded-md border border-slate-300 px-3 py-2 text-center text-sm font-medium hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-900"
        >
          Continue with {p.name}
        </a>
      ))}
    </div>
  );
}

/** Why a provider sign-in came back to this page (`?oauth_error=`), in words. */
export function OAuthNotice() {
  return (
    <Suspense fallback={null}>
      <Message />
    </Suspense>
  );
}

function Message() {
  const search = useSearchParams();
  const providers = useOAuthProviders();
  const name = providers.data?.find((p) => p.id === search.get('provider'))?.name;
  const message = oauthMessage(search, name);
  if (!message) return null;
  return (
    <div data-oauth-error={message.code}>
      <Notice tone={message.code === 'account_exists' ? 'info' : 'warning'}>{message.text}</Notice>
    </div>
  );
}
