'use client';

import { type MfaChallenge, mfaMethodSchema } from '@repo/contracts';
import { useEffect } from 'react';

/**
 * The MFA challenge a provider sign-in hands over in the URL fragment
 * (`/login#mfa=<token>&methods=totp,passkey`): read once, then removed from the address bar. A
 * fragment never reaches a server or its log.
 */
export function useMfaFragment(onChallenge: (challenge: MfaChallenge) => void) {
  useEffect(() => {
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const mfaToken = fragment.get('mfa');
    if (!mfaToken) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    const methods = (fragment.get('methods') ?? 'totp')
      .split(',')
      .flatMap((m) => mfaMethodSchema.safeParse(m).data ?? []);
    onChallenge({ mfaRequired: true, mfaToken, methods });
  }, [onChallenge]);
}
