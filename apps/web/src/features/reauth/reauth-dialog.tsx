'use client';

import { type Reauthenticate, type ReauthProof } from '@repo/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { passkeyErrorMessage } from '@/features/shared/passkey-error';
import { answerWithPasskey } from '@/features/shared/webauthn';
import { getClients } from '@/lib/api';
import { describeError } from '@/lib/form-errors';

interface Request {
  proofs: ReauthProof[];
  done: (proved: boolean) => void;
}

/**
 * Asks the user to prove who they are when a sensitive change needs a recent proof (the API
 * answered 403 `reauth_required`), then lets the client send the change again. Mounted once: any
 * call of the app's client that meets the refusal opens it.
 */
export function ReauthDialog() {
  const [request, setRequest] = useState<Request>();
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(
    () =>
      getClients().api.handleReauth(
        ({ proofs }) => new Promise<boolean>((done) => setRequest({ proofs, done })),
      ),
    [],
  );
  useEffect(() => {
    if (request && !dialog.current?.open) dialog.current?.showModal();
  }, [request]);

  const finish = (proved: boolean) => {
    dialog.current?.close();
    request?.done(proved);
    setRequest(undefined);
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="reauth-title"
      onCancel={(event) => {
        event.preventDefault();
        finish(false);
      }}
      className="m-auto w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
    >
      {request && <ReauthForm proofs={request.proofs} onDone={finish} />}
    </dialog>
  );
}

function ReauthForm({
  proofs,
  onDone,
}: {
  proofs: ReauthProof[];
  onDone: (proved: boolean) => void;
}) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [codeMailed, setCodeMailed] = useState(false);
  const { reauth } = getClients().api;

  const prove = async (body: () => Promise<Reauthenticate>, describe = describeError) => {
    setPending(true);
    setError(undefined);
    try {
      await reauth.reauthenticate({ body: await body() });
      onDone(true);
    } catch (err) {
      setError(describe(err));
      setPending(false);
    }
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    };
    void prove(() =>
      Promise.resolve(
        proofs.includes('password')
          ? { proof: 'password', password: field('password') }
          : proofs.includes('totp')
            ? { proof: 'totp', code: field('code').trim() }
            : { proof: 'email_code', code: field('code').trim() },
      ),
    );
  };
  const mailCode = async () => {
    setError(undefined);
    try {
      await reauth.emailCode();
      setCodeMailed(true);
    } catch (err) {
      setError(describeError(err));
    }
  };

  const typed = proofs.includes('password')
    ? 'password'
    : proofs.includes('totp')
      ? 'totp'
      : codeMailed
        ? 'email_code'
        : undefined;
  return (
    <div className="flex flex-col gap-4">
      <h2 id="reauth-title" className="text-lg font-semibold">
        Confirm it’s you
      </h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        This change needs a fresh proof that it is you. It then goes through.
      </p>
      <FormAlert message={error} />
      {typed && (
        <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
          {typed === 'password' ? (
            <TextField
              label="Your password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          ) : (
            <TextField
              label={typed === 'totp' ? 'Authentication code' : 'Code from the email'}
              name="code"
              inputMode={typed === 'totp' ? undefined : 'numeric'}
              autoComplete="one-time-code"
              required
            />
          )}
          <Button type="submit" pending={pending}>
            Confirm
          </Button>
        </form>
      )}
      {proofs.includes('passkey') && (
        <Button
          variant="secondary"
          pending={pending}
          onClick={() =>
            void prove(
              async () => ({
                proof: 'passkey',
                response: await answerWithPasskey(await reauth.passkeyOptions()),
              }),
              passkeyErrorMessage,
            )
          }
        >
          Use a passkey
        </Button>
      )}
      {proofs.includes('email_code') && !codeMailed && (
        <Button variant="secondary" onClick={() => void mailCode()}>
          Email me a code
        </Button>
      )}
      <Button variant="ghost" onClick={() => onDone(false)}>
        Cancel
      </Button>
    </div>
  );
}
