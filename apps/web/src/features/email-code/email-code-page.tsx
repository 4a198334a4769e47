'use client';

import { ApiError } from '@repo/client';
import {
  type LoginResult,
  type MfaChallenge,
  type VerifyEmailCode,
  verifyEmailCodeSchema,
} from '@repo/contracts';
import { useEffect, useState } from 'react';
import { useAuth } from '@/components/providers/auth-provider';
import { FormAlert } from '@/components/ui/alerts';
import { LoadingState } from '@/components/ui/states';
import { MfaStep } from '@/features/shared/mfa-step';
import { describeError } from '@/lib/form-errors';
import { RequestCodeForm } from './request-code-form';
import { verifyLinkOnce } from './verify-link-once';

type State =
  | { kind: 'form' }
  | { kind: 'signing-in' }
  | { kind: 'mfa'; challenge: MfaChallenge }
  | { kind: 'failed'; error: unknown };

/**
 * The code and address a mailed link carries in its fragment (`#email=…&code=…`), which the
 * browser never sends to a server. (Rendered in the browser only: GuestOnly waits for the session
 * check before it shows this page.)
 */
function linkCode(): VerifyEmailCode | null {
  if (typeof window === 'undefined') return null;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const parsed = verifyEmailCodeSchema.safeParse(Object.fromEntries(fragment));
  return parsed.success ? parsed.data : null;
}

/** Takes the fragment out of the address bar and the history, without reloading. */
function clearFragment() {
  const { pathname, search, hash } = window.location;
  if (hash) window.history.replaceState(window.history.state, '', `${pathname}${search}`);
}

/**
 * `/login/email-code`: opened from the mailed link, it signs in with its code at once (then the
 * MFA step when the account has one); opened without one, it asks for a code.
 */
export function EmailCodePage() {
  const { verifyEmailCode } = useAuth();
  const [link] = useState(linkCode);
  const [state, setState] = useState<State>({ kind: link ? 'signing-in' : 'form' });

  useEffect(() => {
    clearFragment();
    if (!link) return;
    let live = true;
    verifyLinkOnce(link, verifyEmailCode).then(
      (outcome: LoginResult) => {
        // Tokens: the session exists now, and the page moves on (see GuestOnly).
        if (live && 'mfaRequired' in outcome) setState({ kind: 'mfa', challenge: outcome });
      },
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [link, verifyEmailCode]);

  switch (state.kind) {
    case 'signing-in':
      return <LoadingState label="Signing you in…" />;
    case 'mfa':
      return (
        <MfaStep
          mfaToken={state.challenge.mfaToken}
          methods={state.challenge.methods}
          onRestart={() => setState({ kind: 'form' })}
        />
      );
    case 'form':
      return <RequestCodeForm signUp={false} />;
    case 'failed': {
      const invalid = ApiError.is(state.error) && state.error.code === 'invalid_code';
      return (
        <div className="flex flex-col gap-5">
          <FormAlert
            message={
              invalid
                ? 'This link is invalid, was already used, or has expired. Ask for a new code below.'
                : describeError(state.error)
            }
          />
          <RequestCodeForm signUp={false} />
        </div>
      );
    }
  }
}
