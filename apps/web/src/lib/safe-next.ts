import { safeNextPath } from '@repo/contracts';

export { safeNextPath };

/** Where to go after login when no (usable) `next` is given. */
export const DEFAULT_AFTER_LOGIN = '/dashboard';

/** Pages that need a session. */
const PROTECTED_PREFIXES: readonly string[] = ['/dashboard', '/room', '/settings'];

export const isProtectedPath = (pathname: string): boolean =>
  PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));

/**
 * `/login?next=<path>` for a page that needs a session; plain `/login` for any other page (whose
 * query may hold a mailed token that has no business in another URL).
 */
export function loginPathFor(path: string): string {
  const next = safeNextPath(path);
  if (!next) return '/login';
  const pathname = next.split(/[?#]/)[0] ?? '';
  return isProtectedPath(pathname) ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

/**
 * Where a tab goes once its session is over: after a logout clicked in this tab, the login page;
 * when it ended anywhere else (another tab, another device, expiry), back to this page after
 * the next login. (A logout in another tab of the same browser may reach this one as a revoked
 * session or a failed refresh before the tabs' own message: all of them are treated alike.)
 */
export function loginRedirectFor(
  ended: 'logout' | 'other_tab' | 'expired' | 'revoked' | null,
  path: string,
): string {
  return ended === 'logout' ? '/login' : loginPathFor(path);
}
