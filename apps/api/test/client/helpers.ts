import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createTcpServer, connect as tcpConnect, type Socket } from 'node:net';
import { ApiClient, type ApiClientOptions } from '@repo/client';
import { problemType, PROBLEMS } from '@repo/contracts';
import { type Credentials, nativeClient, tracked } from '@repo/test-support';
import { BROWSER_ORIGIN, registerVerified } from '../support/auth-client.js';
import { accessTokenExpiringAt, expiredAccessToken } from '../support/session-checks.js';
import { type TestApp } from '../support/test-app.js';

/**
 * Gives a client an access token of its own session that the API sees as expired, while the
 * client thinks it has 15 minutes left: what a client whose token ran out holds, without waiting
 * out a real lifetime.
 */
export function holdExpiredToken(t: TestApp, client: ApiClient) {
  client.setSession({
    accessToken: expiredAccessToken(t, client.accessToken!),
    tokenType: 'Bearer',
    expiresIn: 900,
    user: client.user!,
  });
}

/**
 * Gives a client an access token of its own session that expires in 2–3 s, for the API and the
 * client alike (tokens count whole seconds); resolves with its expiry in milliseconds.
 */
export function holdShortLivedToken(t: TestApp, client: ApiClient): number {
  const exp = Math.floor(Date.now() / 1000) + 3;
  client.setSession({
    accessToken: accessTokenExpiringAt(t, client.accessToken!, exp),
    tokenType: 'Bearer',
    expiresIn: 2,
    user: client.user!,
  });
  return exp * 1000;
}

/** Resolves once the clock has passed `at` (milliseconds since the epoch). */
export const past = (at: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** A verified user, logged in through a new native client. */
export async function loggedIn(t: TestApp, options: Partial<ApiClientOptions> = {}) {
  const credentials: Credentials = await registerVerified(t);
  const client = nativeClient(t.api, options);
  await client.auth.login({ body: { email: credentials.email, password: credentials.password } });
  return { client, credentials, user: client.user! };
}

/**
 * Browser tabs, as far as Node can play them: every request carries the web app's Origin, and
 * the tabs share one cookie jar (the httpOnly refresh cookie), one lock manager and one
 * BroadcastChannel name — Node has both Web Locks and BroadcastChannel.
 */
export function browserTabs(t: TestApp, count: number, options: Partial<ApiClientOptions> = {}) {
  const jar = new Map<string, string>();
  return Array.from({ length: count }, () => {
    const client = tracked(new ApiClient({ baseUrl: t.api, mode: 'browser', ...options }));
    client.http.interceptors.request.use((config) => {
      config.headers.set('Origin', BROWSER_ORIGIN);
      if (jar.size > 0)
        config.headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      return config;
    });
    const keep = (headers: unknown) => {
      const lines = (headers as Record<string, unknown>)['set-cookie'];
      for (const line of Array.isArray(lines) ? (lines as string[]) : []) {
        const [pair] = line.split(';');
        const at = pair!.indexOf('=');
        const name = pair!.slice(0, at);
        const value = pair!.slice(at + 1);
        if (value) jar.set(name, value);
        else jar.delete(name);
      }
    };
    client.http.interceptors.response.use(
      (response) => {
        keep(response.headers);
        return response;
      },
      (error: Error & { response?: { headers: unknown } }) => {
        keep(error.response?.headers);
        throw error;
      },
    );
    return client;
  });
}

/** How many requests for this route the server answered, from its request log. */
export function served(t: TestApp, method: string, path: string): number {
  return t.logs.filter((line) => {
    const req = line.req as { method?: string; url?: string } | undefined;
    return line.res !== undefined && req?.method === method && req.url === `/api/v1${path}`;
  }).length;
}

/**
 * An HTTP proxy to the API that can answer 503 itself, as nginx does with no healthy upstream.
 * Counts what reaches it, by method.
 */
export async function flakyProxy(target: string) {
  const targetUrl = new URL(target);
  const state = { failNext: 0, status: 503, retryAfter: '0', seen: [] as string[] };
  const server = createHttpServer((req, res) => {
    state.seen.push(`${req.method} ${req.url}`);
    if (state.failNext > 0) {
      state.failNext--;
      const code = state.status === 503 ? 'service_unavailable' : 'rate_limited';
      res.writeHead(state.status, {
        'content-type': 'application/problem+json',
        'retry-after': state.retryAfter,
      });
      res.end(
        JSON.stringify({
          type: problemType(code),
          title: PROBLEMS[code].title,
          status: state.status,
          instance: req.url,
          code,
          requestId: 'proxy',
          timestamp: new Date().toISOString(),
        }),
      );
      return;
    }
    const upstream = httpRequest(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    state,
    /** The proxy's URL with the API prefix. */
    api: `http://127.0.0.1:${port}/api/v1`,
    count: (method: string) => state.seen.filter((s) => s.startsWith(`${method} `)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TCP proxy in front of the API, to break connections the way networks do: `cut()` drops
 * every connection without a close frame; `silence()` keeps them open but lets nothing through.
 */
export async function tcpProxy(targetPort: number) {
  const pairs = new Set<[Socket, Socket]>();
  let silent = false;
  let chunksUp = 0;
  const server = createTcpServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.on('data', (chunk) => {
      chunksUp++;
      if (!silent) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => silent || client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    get connections() {
      return pairs.size;
    },
    /** How many chunks clients have sent through it (each heartbeat ping is one). */
    get chunksUp() {
      return chunksUp;
    },
    cut() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    silence(on: boolean) {
      silent = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
