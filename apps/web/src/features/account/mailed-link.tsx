'use client';

import { ApiError } from '@repo/client';
import { type ReactNode, useEffect, useState } from 'react';
import { FormAlert } from '@/components/ui/alerts';
import { LoadingState } from '@/components/ui/states';
import { describeError } from '@/lib/form-errors';

const attempts = new Map<string, Promise<unknown>>();

/**
 * Runs a link's action once per token and page: the token is single-use, and React runs effects
 * twice in development.
 */
function once<T>(token: string, action: (token: string) => Promise<T>): Promise<T> {
  let attempt = attempts.get(token) as Promise<T> | undefined;
  if (!attempt) {
    attempt = action(token);
    attempts.set(token, attempt);
  }
  return attempt;
}

/**
 * The `#token=` of a mailed link (browsers never send the fragment to a server), read once after
 * the page is in the browser, then taken out of the address bar and the history.
 */
function takeFragmentToken(): string | null {
  const { pathname, search, hash } = window.location;
  const token = new URLSearchParams(hash.slice(1)).get('token');
  if (hash) window.history.replaceState(window.history.state, '', `${pathname}${search}`);
  return token;
}

type State<T> =
  | { kind: 'reading' }
  | { kind: 'no-token' }
  | { kind: 'done'; result: T }
  | { kind: 'failed'; error: unknown };

/** A page opened from a mailed link: it posts the link's token on load and shows the outcome. */
export function MailedLinkPage<T>({
  title,
  working,
  action,
  done,
}: {
  title: string;
  /** What the page says while the request runs. */
  working: string;
  action: (token: string) => Promise<T>;
  done: (result: T) => ReactNode;
}) {
  const [state, setState] = useState<State<T>>({ kind: 'reading' });

  useEffect(() => {
    const token = takeFragmentToken();
    const outcome: Promise<State<T>> = token
      ? once(token, action).then((result) => ({ kind: 'done', result }))
      : Promise.resolve({ kind: 'no-token' });
    let live = true;
    outcome.then(
      (next) => live && setState(next),
      (error: unknown) => live && setState({ kind: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [action]);

  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {state.kind === 'reading' && <LoadingState label={working} />}
      {state.kind === 'no-token' && (
        <FormAlert message="This link has no token. Open the link from the email exactly as it is." />
      )}
      {state.kind === 'failed' && (
        <FormAlert
          message={
            ApiError.is(state.error) && state.error.code === 'link_invalid'
              ? 'This link is invalid, was already used, or has expired.'
              : describeError(state.error)
          }
        />
      )}
      {state.kind === 'done' && done(state.result)}
    </div>
  );
}
