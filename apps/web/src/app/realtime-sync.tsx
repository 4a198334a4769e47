'use client';

import {
  apiKeysRevokedSchema,
  REALTIME_EVENTS,
  sessionRevokedSchema,
  userSchema,
} from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { useAuth } from '@/components/providers/auth-provider';
import { useUserEvents } from '@/components/providers/realtime-provider';
import { apiKeysKeys } from '@/features/api-keys/query-keys';
import { sessionsKeys } from '@/features/sessions/query-keys';
import { getClients } from '@/lib/api';
import { sessionIdOf } from '@/lib/jwt';

const userUpdatedSchema = z.object({ user: userSchema });

/**
 * What the account's events on the user's topic do to the app: `user.updated` shows the new
 * profile, `session.revoked` of this tab's session logs it out at once (other sessions: the list
 * is refetched), `api_keys.revoked` refetches the keys. Features follow their own events where
 * they show their data (see useLiveNotes). It sits beside Providers, which mounts it for the whole
 * app: the caches it refreshes belong to two features, and only the app may reach into several.
 */
export function RealtimeSync() {
  const queryClient = useQueryClient();
  const { setUser, endRevoked } = useAuth();

  useUserEvents((event) => {
    switch (event.event) {
      case REALTIME_EVENTS.userUpdated: {
        const parsed = userUpdatedSchema.safeParse(event.data);
        if (parsed.success) setUser(parsed.data.user);
        return;
      }
      case REALTIME_EVENTS.sessionRevoked: {
        const parsed = sessionRevokedSchema.safeParse(event.data);
        if (!parsed.success) return;
        if (parsed.data.sessionId === sessionIdOf(getClients().api.accessToken)) endRevoked();
        else void queryClient.invalidateQueries({ queryKey: sessionsKeys.all });
        return;
      }
      case REALTIME_EVENTS.apiKeysRevoked:
        if (apiKeysRevokedSchema.safeParse(event.data).success) {
          void queryClient.invalidateQueries({ queryKey: apiKeysKeys.all });
        }
        return;
    }
  });

  return null;
}
