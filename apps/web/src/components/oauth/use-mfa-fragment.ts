'use client';

import { useEffect } from 'react';

/**
 * The MFA challenge a provider sign-in hands over in the URL fragment (`/login#mfa=<token>`):
 * read once, then removed from the address bar. A fragment never reaches a server or its log.
 */
export function useMfaFragment(onChallenge: (mfaToken: string) => void) {
  useEffect(() => {
    const token = new URLSearchParams(window.location.hash.slice(1)).get('mfa');
    if (!token) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    onChallenge(token);
  }, [onChallenge]);
}
