'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { AuthProvider } from '@/components/providers/auth-provider';
import { RealtimeProvider } from '@/components/providers/realtime-provider';
import { ReauthDialog } from '@/features/reauth/reauth-dialog';
import { RealtimeSync } from './realtime-sync';

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // The ApiClient already retries what a retry can fix (network errors, 429, 502-504),
        // with backoff: a second layer of retries would only delay the error.
        retry: false,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ children }: { children: ReactNode }) {
  // One client per browser session (and per server render), never shared between requests.
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider>
        <RealtimeProvider>
          <RealtimeSync />
          {children}
          <ReauthDialog />
        </RealtimeProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
