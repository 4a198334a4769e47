/** The WHATWG URL of every runtime this package runs in (browsers, Node), typed as used here. */
declare const URL: new (
  input: string,
  base: string,
) => { origin: string; pathname: string; search: string; hash: string };

/**
 * A `next` parameter made safe to navigate to: a path of this site only (`/settings?tab=x`),
 * never another origin (`https://evil.example`, `//evil.example`, `/\evil.example`) nor a
 * `javascript:` URL. Anything else gives null. The web app and the API (after a provider
 * sign-in) both send visitors on with it.
 */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next || next.length > 2_000) return null;
  if (!next.startsWith('/') || next.startsWith('//')) return null;
  // Control characters and backslashes can make browsers read a path as another host.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return null;
  try {
    const url = new URL(next, 'http://same.invalid');
    if (url.origin !== 'http://same.invalid') return null;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}
