'use client';

import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';

/**
 * The `?token=` of a mailed link, read once; then taken out of the address bar (and so out of
 * the history and of any Referer) without reloading. Needs a <Suspense> boundary above it.
 */
export function useUrlToken(): string | null {
  const searchParams = useSearchParams();
  const [token] = useState(() => searchParams.get('token'));
  useEffect(() => {
    const url = new URL(window.location.href);
    if (!url.searchParams.has('token')) return;
    url.searchParams.delete('token');
    window.history.replaceState(
      window.history.state,
      '',
      `${url.pathname}${url.search}${url.hash}`,
    );
  }, []);
  return token;
}
