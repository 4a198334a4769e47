'use client';

import { useQuery } from '@tanstack/react-query';
import { getClients } from '@/lib/api';

/** The sign-in providers the API has on (a button for each). */
export const useOAuthProviders = () =>
  useQuery({
    queryKey: ['oauth-providers'],
    queryFn: ({ signal }) => getClients().api.oauth.providers({ signal }),
    staleTime: 5 * 60_000,
  });
