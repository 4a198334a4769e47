/** Loopback hosts: browsers treat http:// on them as secure (Secure cookies, no mixed content). */
const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[.*\])$/;

export const isLoopback = (url: URL) => LOOPBACK.test(url.hostname);

/** Whether the browser treats the URL as a secure context (https, wss, or loopback). */
export const isSecure = (url: URL) =>
  url.protocol === 'https:' || url.protocol === 'wss:' || isLoopback(url);

/**
 * The "site" of a URL as SameSite sees it: the scheme and the registrable domain (here the last
 * two labels; a public-suffix list would be exact for hosts like example.co.uk).
 */
export function siteOf(url: URL): string {
  const host = url.hostname;
  const domain = IP.test(host) || !host.includes('.') ? host : host.split('.').slice(-2).join('.');
  return `${url.protocol.replace('wss:', 'https:').replace('ws:', 'http:')}//${domain}`;
}

export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
