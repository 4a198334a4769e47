import { type IncomingMessage } from 'node:http';
import { WS_CLOSE } from '@repo/contracts';
import { type RawData, WebSocket } from 'ws';
import { evidenceOf, probe, type ProbeResponse } from '../http.js';
import {
  type CheckResult,
  type DoctorSetup,
  type Evidence,
  finding,
  pass,
  skip,
} from '../model.js';
import { jsonOf, type SessionUse, useSession } from '../session.js';
import { FOREIGN_ORIGIN } from './cors.js';

const AREA = 'websocket';
/** What the server pings with when `ready` does not say (an API older than heartbeatMs). */
const DEFAULT_HEARTBEAT_MS = 25_000;
/** 'heartbeat': idle this much longer than the interval, so that at least one ping comes. */
const IDLE_MARGIN_MS = 5_000;
/** Response headers worth showing for an upgrade. */
const SHOWN = new Set(['server', 'upgrade', 'connection', 'sec-websocket-accept', 'content-type']);

type Attempt =
  | { kind: 'open'; socket: WebSocket; ms: number; evidence: Evidence }
  | { kind: 'refused'; status: number; headers: [string, string][]; ms: number; evidence: Evidence }
  | { kind: 'error'; code: string; message: string; ms: number; evidence: Evidence };

type Closed = { code: number; reason: string; afterMs: number };

/** Every socket this run opened: all terminated at the end, whatever happened. */
type Sockets = Set<WebSocket>;

const rawPairs = (raw: string[]) => {
  const result: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) result.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  return result;
};

const textOf = (data: RawData) =>
  (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');

/**
 * Upgrade, foreign origin, auth and ping, and an idle socket kept past the heartbeat. The idle
 * socket is the long one: it starts first and is awaited last, while the others run.
 */
export async function websocketChecks(setup: DoctorSetup): Promise<CheckResult[]> {
  // Taken now, synchronously: the cookie check waits for it to be given back before logging out.
  const session = useSession(setup);
  const sockets: Sockets = new Set();
  try {
    const idle = idleCheck(setup, session, sockets);
    idle.catch(() => undefined); // still awaited below; no unhandled rejection meanwhile
    const [upgrade, foreign] = await Promise.all([
      upgradeAndAuth(setup, session, sockets),
      foreignOriginCheck(setup, sockets),
    ]);
    return [...upgrade, foreign, await idle];
  } finally {
    for (const socket of sockets) socket.terminate();
    await session?.done();
  }
}

/** Opens a socket; resolves with the open socket, the HTTP answer that refused it, or the error. */
function attempt(
  setup: DoctorSetup,
  origin: string | undefined,
  sockets: Sockets,
  timeoutMs = setup.timeoutMs,
): Promise<Attempt> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const request = `GET ${setup.wsUrl}  upgrade: websocket${origin ? `  origin: ${origin}` : ''}`;
  return new Promise((resolve) => {
    const socket = new WebSocket(setup.wsUrl, {
      ...(origin ? { origin } : {}),
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
    });
    sockets.add(socket);
    let settled = false;
    const settle = (result: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    // ws has its own handshake timeout; this one also covers a refusal whose body never ends.
    const timer = setTimeout(() => {
      socket.terminate();
      settle({
        kind: 'error',
        code: 'ETIMEDOUT',
        message: `no answer within ${timeoutMs} ms`,
        ms: since(),
        evidence: { request, note: `ETIMEDOUT: no answer within ${timeoutMs} ms` },
      });
    }, timeoutMs + 500);
    let upgraded: [string, string][] = [];
    socket.on('upgrade', (res: IncomingMessage) => (upgraded = rawPairs(res.rawHeaders)));
    socket.on('open', () =>
      settle({
        kind: 'open',
        socket,
        ms: since(),
        evidence: { request, status: 101, headers: upgraded.filter(([n]) => SHOWN.has(n)) },
      }),
    );
    // A listener here stops ws from turning a non-101 answer into a bare error.
    socket.on('unexpected-response', (req, res: IncomingMessage) => {
      const headers = rawPairs(res.rawHeaders);
      res.resume();
      req.destroy();
      settle({
        kind: 'refused',
        status: res.statusCode ?? 0,
        headers,
        ms: since(),
        evidence: {
          request,
          status: res.statusCode ?? 0,
          headers: headers.filter(([n]) => SHOWN.has(n)),
        },
      });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? (/timed out/i.test(error.message) ? 'ETIMEDOUT' : 'EUNKNOWN');
      settle({
        kind: 'error',
        code,
        message: error.message,
        ms: since(),
        evidence: { request, note: `${code}: ${error.message}` },
      });
    });
  });
}

/** The next server message that matches, the close, or nothing within `timeoutMs`. */
function next(
  socket: WebSocket,
  match: (message: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<{ message?: Record<string, unknown>; closed?: Closed; ms: number }> {
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const done = (result: { message?: Record<string, unknown>; closed?: Closed }) => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve({ ...result, ms: since() });
    };
    const onMessage = (data: RawData, isBinary: boolean) => {
      const message = isBinary ? undefined : jsonOf(textOf(data));
      if (message && match(message)) done({ message });
    };
    const onClose = (code: number, reason: Buffer) =>
      done({ closed: { code, reason: reason.toString('utf8'), afterMs: since() } });
    const timer = setTimeout(() => done({}), timeoutMs);
    if (socket.readyState !== WebSocket.OPEN) {
      return done({ closed: { code: 1006, reason: 'already closed', afterMs: 0 } });
    }
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

/** Sends the `auth` frame; resolves with `ready`, an `error`, the close, or nothing in time. */
function authenticate(socket: WebSocket, token: string, timeoutMs: number) {
  socket.send(JSON.stringify({ type: 'auth', token }));
  return next(socket, (m) => m.type === 'ready' || m.type === 'error', timeoutMs);
}

const closeText = (closed: Closed) =>
  `closed ${closed.code}${closed.reason ? ` "${closed.reason}"` : ''}`;

/** The upgrade from the web origin; then, on that socket, auth and a ping round trip. */
async function upgradeAndAuth(
  setup: DoctorSetup,
  session: SessionUse | undefined,
  sockets: Sockets,
): Promise<CheckResult[]> {
  const origin = setup.origins[0]!;
  const name = `upgrade from ${origin}`;
  const opened = await attempt(setup, origin, sockets);
  if (opened.kind === 'refused') {
    return [await refusedUpgrade(setup, name, origin, opened)];
  }
  if (opened.kind === 'error') {
    const reset = opened.code === 'ECONNRESET';
    return [
      finding(
        'ws_upgrade_failed',
        name,
        reset
          ? 'the server closed the connection without an answer (the API does so for an upgrade to a path it does not serve: is the path /ws?)'
          : `${opened.code}: ${opened.message}`,
        { evidence: [opened.evidence], ms: opened.ms },
      ),
    ];
  }
  const results = [
    pass(AREA, name, '101 Switching Protocols: the upgrade reached the API', {
      ms: opened.ms,
      evidence: [opened.evidence],
    }),
  ];
  results.push(...(await authAndPing(setup, session, opened.socket)));
  opened.socket.close(1000, 'doctor done');
  return results;
}

/**
 * Why an upgrade came back as plain HTTP. A proxy that does not forward `Upgrade` and
 * `Connection: upgrade` (nginx without `proxy_set_header Upgrade $http_upgrade` and
 * `Connection "upgrade"`, or without `proxy_http_version 1.1`) hands the API an ordinary GET
 * /ws, and the API answers that as it answers any GET /ws: 404 (there is no HTTP route at /ws).
 * So the same URL is asked again, without any upgrade header: when the upgrade got the same
 * status as that plain GET, and no upgrade-related header, the upgrade was lost on the way. An
 * answer the API gives an upgrade it did see is different: 403 (origin), 401 (credentials), or
 * the connection closed without an answer (a wrong path). A 426 Upgrade Required, or nginx
 * answering 400/404/426, is read the same way when the plain GET cannot be made.
 */
async function refusedUpgrade(
  setup: DoctorSetup,
  name: string,
  origin: string,
  refused: Extract<Attempt, { kind: 'refused' }>,
): Promise<CheckResult> {
  const { status, headers } = refused;
  if (status === 403) {
    return finding(
      'ws_upgrade_failed',
      name,
      `403: the upgrade from ${origin} is refused (its Origin is not allowed)`,
      {
        evidence: [refused.evidence],
        fix: `Add ${origin} to CORS_ORIGINS (the gateway and nginx check the Origin of upgrades) and restart the API and nginx.`,
      },
    );
  }
  const plainUrl = setup.wsUrl.replace(/^ws/, 'http');
  const plain: ProbeResponse | undefined = await probe(plainUrl, {
    headers: { origin },
    timeoutMs: setup.timeoutMs,
  }).catch(() => undefined);
  const evidence = [
    refused.evidence,
    ...(plain
      ? [
          evidenceOf(
            'GET',
            plainUrl,
            { origin },
            plain,
            (n) => n === 'server' || n === 'content-type',
          ),
        ]
      : []),
  ];
  const upgradeAware = headers.some(([n]) => n === 'upgrade' || n.startsWith('sec-websocket-'));
  const server = headers
    .filter(([n]) => n === 'server')
    .map(([, v]) => v)
    .join(' ');
  const plainLike = status < 300 || [400, 404, 426].includes(status);
  const sameAsPlain = plain !== undefined && plain.status === status;
  if (
    !upgradeAware &&
    plainLike &&
    (sameAsPlain || status === 426 || (plain === undefined && /nginx/i.test(server)))
  ) {
    return finding(
      'ws_upgrade_not_forwarded',
      name,
      sameAsPlain
        ? `the upgrade got ${status}, the same answer as a plain GET ${new URL(plainUrl).pathname}: the Upgrade header did not reach the API`
        : `the upgrade got ${status}${server ? ` from ${server}` : ''} without switching protocols`,
      { evidence, ms: refused.ms },
    );
  }
  return finding(
    'ws_upgrade_failed',
    name,
    `answered ${status} instead of 101${status === 401 ? ' (credentials in the upgrade headers refused)' : status >= 502 ? ' (a proxy answers, but no API behind it took the upgrade)' : ''}`,
    { evidence, ms: refused.ms },
  );
}

/** Auth with an access token of the shared login, then a protocol ping; or a ping alone. */
async function authAndPing(
  setup: DoctorSetup,
  session: SessionUse | undefined,
  socket: WebSocket,
): Promise<CheckResult[]> {
  const login = session ? await session.login : undefined;
  if (!login?.ok) {
    // Without a token the server still answers ping (before auth): frames pass both ways.
    const pong = await pingRoundTrip(socket, setup.timeoutMs);
    return [
      pong.ok
        ? pass(AREA, 'ping round trip', 'pong before auth: frames pass both ways', {
            ms: pong.ms,
          })
        : finding('ws_auth_failed', 'ping round trip', pong.detail),
      skip(
        AREA,
        'auth',
        login
          ? `not checked: could not log in (${login.problem ?? login.status ?? 'no answer'}), see the cookie checks`
          : 'not checked: pass --user and --password of a verified account',
      ),
    ];
  }
  const name = 'auth and ping';
  const ready = await authenticate(socket, login.accessToken, setup.timeoutMs);
  if (ready.message?.type !== 'ready') {
    return [
      finding(
        'ws_auth_failed',
        name,
        ready.closed
          ? `the auth message was answered by a close: ${closeText(ready.closed)}`
          : ready.message
            ? `the auth message was answered by an error: ${String(ready.message.code)}`
            : `no ready within ${setup.timeoutMs} ms of the auth message`,
      ),
    ];
  }
  const pong = await pingRoundTrip(socket, setup.timeoutMs);
  if (!pong.ok) return [finding('ws_auth_failed', name, `authenticated, but ${pong.detail}`)];
  const heartbeat = ready.message.heartbeatMs;
  return [
    pass(
      AREA,
      name,
      `ready in ${ready.ms} ms${typeof heartbeat === 'number' ? ` (server pings every ${heartbeat / 1000} s)` : ''}, pong in ${pong.ms} ms`,
      { ms: ready.ms + pong.ms },
    ),
  ];
}

async function pingRoundTrip(
  socket: WebSocket,
  timeoutMs: number,
): Promise<{ ok: true; ms: number } | { ok: false; detail: string }> {
  const id = `doctor-${Math.random().toString(36).slice(2, 10)}`;
  if (socket.readyState !== WebSocket.OPEN) return { ok: false, detail: 'the socket is closed' };
  socket.send(JSON.stringify({ type: 'ping', id }));
  const pong = await next(socket, (m) => m.type === 'pong' && m.id === id, timeoutMs);
  if (pong.message) return { ok: true, ms: pong.ms };
  return {
    ok: false,
    detail: pong.closed
      ? `the ping was answered by a close: ${closeText(pong.closed)}`
      : `no pong within ${timeoutMs} ms`,
  };
}

/** An origin nobody allows must be refused (403) by the gateway, or by the proxy before it. */
async function foreignOriginCheck(setup: DoctorSetup, sockets: Sockets): Promise<CheckResult> {
  const name = 'a foreign origin';
  const opened = await attempt(setup, FOREIGN_ORIGIN, sockets);
  if (opened.kind === 'open') {
    opened.socket.terminate();
    return finding(
      'ws_origin_not_checked',
      name,
      `an upgrade with Origin ${FOREIGN_ORIGIN} was accepted (101)`,
      { evidence: [opened.evidence] },
    );
  }
  if (opened.kind === 'refused' && opened.status === 403) {
    return pass(AREA, name, `${FOREIGN_ORIGIN} is refused (403)`, { ms: opened.ms });
  }
  return skip(
    AREA,
    name,
    `not told: the upgrade with Origin ${FOREIGN_ORIGIN} ${opened.kind === 'refused' ? `answered ${opened.status}` : `failed (${opened.code})`}, see the upgrade`,
  );
}

/**
 * An authenticated socket left alone for `idleMs` ('heartbeat': the interval `ready` says, plus
 * 5 s): it must stay open and see the server's pings. A proxy whose read timeout is shorter than
 * the heartbeat cuts it first (1006: no close frame).
 */
async function idleCheck(
  setup: DoctorSetup,
  session: SessionUse | undefined,
  sockets: Sockets,
): Promise<CheckResult> {
  const name = 'idle socket';
  if (setup.idleMs === false) return skip(AREA, name, 'not checked (--no-idle)');
  if (!session) {
    return skip(
      AREA,
      name,
      'not checked: an unauthenticated socket is closed after WS_AUTH_TIMEOUT_MS; pass --user and --password',
    );
  }
  const login = await session.login;
  if (!login.ok) return skip(AREA, name, 'not checked: could not log in (see the cookie checks)');
  const opened = await attempt(setup, setup.origins[0], sockets);
  if (opened.kind !== 'open') return skip(AREA, name, 'not checked: the upgrade fails');
  const socket = opened.socket;
  let pings = 0;
  socket.on('ping', () => pings++);
  const ready = await authenticate(socket, login.accessToken, setup.timeoutMs);
  if (ready.message?.type !== 'ready') {
    return skip(AREA, name, 'not checked: the socket did not authenticate (see auth and ping)');
  }
  const announced = ready.message.heartbeatMs;
  const heartbeatMs = typeof announced === 'number' ? announced : DEFAULT_HEARTBEAT_MS;
  const idleMs = setup.idleMs === 'heartbeat' ? heartbeatMs + IDLE_MARGIN_MS : setup.idleMs;
  pings = 0;
  // Nothing is sent from here on: only the server's pings (answered by ws) cross the proxy.
  const waited = await next(socket, () => false, idleMs);
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const evidence: Evidence[] = [
    {
      ...opened.evidence,
      note: `then auth, ready (heartbeatMs ${typeof announced === 'number' ? announced : 'not said'}), and nothing sent for ${seconds(idleMs)}`,
    },
  ];
  if (waited.closed) {
    const { code, afterMs } = waited.closed;
    const why =
      code === 1006
        ? ': cut without a close frame, as a proxy read timeout does'
        : code === WS_CLOSE.heartbeatLost
          ? ': the server missed the answers to its pings (the proxy does not pass them)'
          : code === WS_CLOSE.unauthenticated
            ? ': the session ended or the token expired'
            : '';
    return finding(
      'ws_idle_closed',
      name,
      `${closeText(waited.closed)} after ${seconds(afterMs)} idle (${pings} server ping${pings === 1 ? '' : 's'}; the server pings every ${seconds(heartbeatMs)})${why}`,
      { evidence, ms: afterMs },
    );
  }
  if (pings === 0 && idleMs >= heartbeatMs) {
    return finding(
      'ws_idle_closed',
      name,
      `open after ${seconds(idleMs)} idle, but no server ping came (every ${seconds(heartbeatMs)}): the pings do not get through, and the server will close it (4408)`,
      { evidence, ms: idleMs },
    );
  }
  return pass(
    AREA,
    name,
    `idle ${seconds(idleMs)}, ${pings} server ping${pings === 1 ? '' : 's'}, still open${idleMs < heartbeatMs ? ` (shorter than the heartbeat, ${seconds(heartbeatMs)}: idle longer to check a proxy timeout)` : ''}`,
    { ms: idleMs },
  );
}
