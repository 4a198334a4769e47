'use client';

import { browserSupportsWebAuthnAutofill, WebAuthnAbortService } from '@simplewebauthn/browser';
import { useEffect, useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { passkeyErrorMessage } from '@/features/shared/passkey-error';
import { answerWithPasskey, wasCancelled } from '@/features/shared/webauthn';
import { getClients } from '@/lib/api';
import { useWebAuthnSupport } from './use-webauthn-support';

/** Asks the API for options, lets the browser answer, and signs in: the session starts at once. */
async function signInWithPasskey(autofill: boolean) {
  const { passkeys } = getClients().api;
  const response = await answerWithPasskey(await passkeys.signInOptions(), autofill);
  await passkeys.signIn({ body: { response } });
}

/**
 * "Sign in with a passkey" on the login page; where the browser offers passkeys among the email
 * field's suggestions (conditional UI, autocomplete="username webauthn"), picking one there signs
 * in too.
 */
export function PasskeySignIn() {
  const supported = useWebAuthnSupport();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let active = true;
    void (async () => {
      if (!(await browserSupportsWebAuthnAutofill()) || !active) return;
      try {
        await signInWithPasskey(true);
      } catch (err) {
        // Replaced by the button's ceremony, or the page was left: nothing to say.
        if (active && !wasCancelled(err)) setError(passkeyErrorMessage(err));
      }
    })();
    return () => {
      active = false;
      WebAuthnAbortService.cancelCeremony();
    };
  }, []);

  const onClick = async () => {
    setPending(true);
    setError(undefined);
    try {
      await signInWithPasskey(false);
      // The session exists now: the page moves on (see GuestOnly).
    } catch (err) {
      setError(passkeyErrorMessage(err));
      setPending(false);
    }
  };

  if (!supported) return null;
  return (
    <div className="flex flex-col gap-3">
      {error && <FormAlert message={error} />}
      <Button variant="secondary" onClick={() => void onClick()} pending={pending}>
        {pending ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </Button>
    </div>
  );
}
