interface StoredCookie {
  name: string;
  value: string;
  host: string;
  path: string;
  expiresAt: number;
  httpOnly: boolean;
  sameSite: string | undefined;
}

/** One response on the way, as the browser saw it. */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
  setCookies: string[];
}

/**
 * What a browser does with cookies and redirects, by hand, for tests that drive a sign-in over
 * real HTTP: a cookie jar (host and path matched, Max-Age and deletion honoured; ports ignored,
 * as browsers do) and redirects followed one by one, so a test can stop where it wants to look.
 */
export class CookieBrowser {
  private cookies: StoredCookie[] = [];

  /** The cookie of this name the browser would send to `url`. */
  cookie(url: string, name: string): StoredCookie | undefined {
    return this.matching(new URL(url)).find((c) => c.name === name);
  }

  /** Every cookie the browser holds, for a test to look at. */
  all(): readonly StoredCookie[] {
    this.cookies = this.cookies.filter((c) => c.expiresAt > Date.now());
    return this.cookies;
  }

  /** Forgets every cookie (another browser). */
  clear() {
    this.cookies = [];
  }

  /** One request, with the cookies for its URL; the response's cookies are kept. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const jar = this.matching(target);
    if (jar.length > 0) headers.set('cookie', jar.map((c) => `${c.name}=${c.value}`).join('; '));
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  }

  /**
   * Navigates to `url` and follows redirects until a page answers (not a redirect), or until
   * `stopAt` says the next location is where the test takes over (that one is not requested).
   */
  async navigate(
    url: string,
    stopAt: (next: URL) => boolean = () => false,
    init: RequestInit = {},
  ): Promise<{ url: string; response?: Response; hops: Hop[] }> {
    const hops: Hop[] = [];
    let current = url;
    let request = init;
    for (let i = 0; i < 20; i++) {
      const response = await this.request(current, request);
      const location = response.headers.get('location');
      hops.push({
        url: current,
        status: response.status,
        location,
        setCookies: response.headers.getSetCookie(),
      });
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, response, hops };
      }
      await response.body?.cancel();
      const next = new URL(location, current);
      if (stopAt(next)) return { url: next.href, hops };
      current = next.href;
      request = {};
    }
    throw new Error(`More than 20 redirects from ${url}`);
  }

  private matching(url: URL): StoredCookie[] {
    const now = Date.now();
    return this.all().filter(
      (c) =>
        c.expiresAt > now &&
        c.host === url.hostname &&
        (url.pathname === c.path ||
          url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
  }

  private store(from: URL, line: string) {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const cookie: StoredCookie = {
      name,
      value: pair.slice(eq + 1),
      host: from.hostname,
      path: '/',
      expiresAt: Number.POSITIVE_INFINITY,
      httpOnly: false,
      sameSite: undefined,
    };
    for (const attribute of attributes) {
      const [key = '', value = ''] = attribute.split('=');
      switch (key.toLowerCase()) {
        case 'path':
          cookie.path = value;
          break;
        case 'max-age':
          cookie.expiresAt = Date.now() + Number(value) * 1000;
          break;
        case 'expires':
          if (cookie.expiresAt === Number.POSITIVE_INFINITY)
            cookie.expiresAt = new Date(value).getTime();
          break;
        case 'httponly':
          cookie.httpOnly = true;
          break;
        case 'samesite':
          cookie.sameSite = value.toLowerCase();
          break;
      }
    }
    this.cookies = this.cookies.filter(
      (c) => !(c.name === name && c.host === cookie.host && c.path === cookie.path),
    );
    if (cookie.expiresAt > Date.now()) this.cookies.push(cookie);
  }
}
