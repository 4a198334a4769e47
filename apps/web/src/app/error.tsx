'use client';

import { ErrorState } from '@/components/ui/states';

/** A page that threw while rendering: say so, and offer to render it again. */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4">
      <h1 className="text-2xl font-semibold tracking-tight">Something went wrong</h1>
      <ErrorState
        title="This page could not be shown"
        message={error.digest ? `${error.message} (reference ${error.digest})` : error.message}
        onRetry={reset}
      />
    </div>
  );
}
