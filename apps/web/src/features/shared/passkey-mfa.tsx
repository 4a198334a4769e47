'use client';

import { ApiError } from '@repo/client';
import { useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { getClients } from '@/lib/api';
import { passkeyErrorMessage } from './passkey-error';
import { answerWithPasskey } from './webauthn';

/** The second login step answered with one of the user's passkeys instead of a code. */
export function PasskeyMfa({ mfaToken, onExpired }: { mfaToken: string; onExpired: () => void }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const onClick = async () => {
    setPending(true);
    setError(undefined);
    try {
      const { passkeys } = getClients().api;
      const response = await answerWithPasskey(await passkeys.mfaOptions({ body: { mfaToken } }));
      await passkeys.mfaVerify({ body: { mfaToken, response } });
      // The session exists now: the page moves on (see GuestOnly).
    } catch (err) {
      setPending(false);
      if (ApiError.is(err) && err.isAuthError()) return onExpired();
      setError(passkeyErrorMessage(err));
    }
  };

  return (
    <div className="flex flex-col gap-3">
      {error && <FormAlert message={error} />}
      <Button variant="secondary" onClick={() => void onClick()} pending={pending}>
        {pending ? 'Waiting for your passkey…' : 'Use a passkey instead'}
      </Button>
    </div>
  );
}
