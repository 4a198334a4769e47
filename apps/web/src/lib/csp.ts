/**
 * The Content-Security-Policy of every page. Scripts run only with this response's nonce (Next
 * puts it on its own scripts) or when loaded by such a script ('strict-dynamic'); nothing inline
 * without it. The page may connect only to itself, the API and its WebSocket.
 */
export function contentSecurityPolicy({
  nonce,
  apiUrl,
  wsUrl,
  development,
}: {
  nonce: string;
  apiUrl: string;
  wsUrl: string;
  /** `next dev`: React's dev build evaluates code for its error overlays and injects styles. */
  development: boolean;
}): string {
  const secure = new URL(apiUrl).protocol === 'https:';
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(development ? ["'unsafe-eval'"] : []),
    ],
    'style-src': ["'self'", development ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", new URL(apiUrl).origin, new URL(wsUrl).origin],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join('; ');
}

/** 128 random bits, base64: a nonce no one can guess, new for every response. */
export const newNonce = (): string =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
