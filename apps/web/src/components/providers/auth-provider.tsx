'use client';

import {
  type AuthTokens,
  type Login,
  type LoginResult,
  type User,
  type VerifyEmailCode,
  type VerifyMfa,
} from '@repo/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
} from 'react';
import { getClients } from '@/lib/api';
import { apiStatusKey } from '@/lib/api-status';
import { type AuthSnapshot, SERVER_AUTH_SNAPSHOT } from '@/lib/auth-store';
import { loginRedirectFor } from '@/lib/safe-next';

export interface AuthContextValue extends AuthSnapshot {
  /** Logs in; resolves with the MFA challenge when the account asks for a code. */
  login: (body: Login) => Promise<LoginResult>;
  /** Finishes an MFA login with a TOTP or recovery code. */
  verifyMfa: (body: VerifyMfa) => Promise<AuthTokens>;
  /** Signs in with a mailed one-time code; resolves with the MFA challenge like `login`. */
  verifyEmailCode: (body: VerifyEmailCode) => Promise<LoginResult>;
  /** Ends this session (and, through the client, every tab of this browser). */
  logout: () => Promise<void>;
  /** Ends every session of the user, on every device. */
  logoutAll: () => Promise<void>;
  /** Shows a changed profile. */
  setUser: (user: User) => void;
  /** Checks for a session again after the API could not be reached. */
  retryRestore: () => void;
  /** Ends this tab's session at once: it was revoked from elsewhere. */
  endRevoked: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const subscribe = (listener: () => void) => getClients().auth.subscribe(listener);
const getSnapshot = () => getClients().auth.getSnapshot();
const getServerSnapshot = () => SERVER_AUTH_SNAPSHOT;

/**
 * The session of this tab: restored on load through the refresh cookie, kept in step with
 * logins, refreshes and logouts here and in the other tabs. When a session ends the tab goes to
 * the login page.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);

  useEffect(() => {
    void getClients().auth.restore();
  }, []);

  useEffect(() => {
    const { api, auth } = getClients();
    return api.on('loggedOut', () => {
      // Nothing of the previous user stays in the cache for the next one: every query but the
      // API's status is the user's.
      queryClient.removeQueries({
        predicate: (query) => query.queryKey[0] !== apiStatusKey[0],
      });
      const { pathname, search } = window.location;
      if (pathname === '/login') return;
      router.replace(loginRedirectFor(auth.getSnapshot().ended, `${pathname}${search}`));
    });
  }, [queryClient, router]);

  const value = useMemo<AuthContextValue>(
    () => ({
      ...snapshot,
      login: (body) => getClients().api.auth.login({ body }),
      verifyMfa: (body) => getClients().api.auth.verifyMfa({ body }),
      verifyEmailCode: (body) => getClients().api.emailCode.verify({ body }),
      logout: async () => {
        try {
          await getClients().auth.logout();
        } catch {
          // The session is over here whatever the API said (the client ends it in any case).
        }
      },
      logoutAll: () => getClients().auth.logout(true),
      setUser: (user) => getClients().auth.setUser(user),
      retryRestore: () => void getClients().auth.restore(),
      endRevoked: () => getClients().auth.endRevoked(),
    }),
    [snapshot],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() needs an <AuthProvider> above it');
  return value;
}

/** The logged-in user; for components rendered inside <RequireAuth> only. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser() is for pages behind <RequireAuth>');
  return user;
}
