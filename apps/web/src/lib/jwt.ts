/**
 * The session id (`sid` claim) of an access token, read without verifying it: only to recognise
 * this tab's own session in `session.revoked` events and the sessions list. The token itself stays
 * in memory; nothing here stores it.
 */
export function sessionIdOf(accessToken: string | null | undefined): string | null {
  const payload = accessToken?.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const claims: unknown = JSON.parse(atob(padded));
    const sid = (claims as { sid?: unknown } | null)?.sid;
    return typeof sid === 'string' ? sid : null;
  } catch {
    return null;
  }
}
