/**
 * The limit for the HTTP rows: a bare `node:http` server answering `GET /api/v1/health` with the
 * same JSON as the API's liveness route (`{status, version, uptimeS}`).
 *
 * With DATABASE_URL (and the API's JWT settings) it also answers a lean `GET /api/v1/users/me`:
 * the same work as the API's route and nothing more — the HS256 access token checked (signature,
 * issuer, audience, expiry), the same two queries (the session is live; the user), with `pg` and
 * a pool of 10 as the API has, and the same JSON. What that endpoint costs without a framework:
 * the database's share of the gap, apart from the framework's.
 *
 * With RESPONSE_HEADERS (a JSON list of [name, value] pairs) every answer also carries those
 * headers: the benchmark passes the ones the API's `/health` answer carries (security headers,
 * request id, CORS `vary`), so that the same bare server gives the limit for an answer of that
 * size and shape.
 *
 * Run as a child process by the benchmark; prints `{"listening":<port>}` once it accepts
 * connections.
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import pg from 'pg';

const version = process.env.APP_VERSION ?? '0.0.0';
const startedAt = performance.now();

const pool = process.env.DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 })
  : undefined;
const secret = createSecretKey(Buffer.from(process.env.JWT_ACCESS_SECRET ?? ''));
const issuer = process.env.JWT_ISSUER;
const audience = process.env.JWT_AUDIENCE;

const extraHeaders = JSON.parse(process.env.RESPONSE_HEADERS ?? '[]') as [string, string][];

function send(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  for (const [name, value] of extraHeaders) res.setHeader(name, value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

interface Claims {
  sub?: unknown;
  sid?: unknown;
  iss?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/** The claims of a valid HS256 access token, or null. */
function verify(authorization: string | undefined): { sub: string; sid: string } | null {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = token?.split('.') ?? [];
  if (!header || !payload || !signature) return null;
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
  if (alg !== 'HS256') return null;
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Claims;
  if (claims.iss !== issuer || claims.aud !== audience) return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
  if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
  return { sub: claims.sub, sid: claims.sid };
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  email_verified_at: Date | null;
  totp_enabled_at: Date | null;
  has_password: boolean;
  created_at: Date;
}

async function me(authorization: string | undefined, res: ServerResponse) {
  const claims = verify(authorization);
  if (!claims || !pool) return send(res, 401, { status: 401 });
  const live = await pool.query(
    'SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()',
    [claims.sid, claims.sub],
  );
  if (live.rowCount === 0) return send(res, 401, { status: 401 });
  const { rows } = await pool.query<UserRow>(
    'SELECT id, email, name, email_verified_at, totp_enabled_at, password_hash IS NOT NULL AS has_password, created_at FROM users WHERE id = $1',
    [claims.sub],
  );
  const user = rows[0];
  if (!user) return send(res, 404, { status: 404 });
  send(res, 200, {
    id: user.id,
    email: user.email,
    name: user.name,
    emailVerified: user.email_verified_at !== null,
    mfaEnabled: user.totp_enabled_at !== null,
    hasPassword: user.has_password,
    createdAt: user.created_at.toISOString(),
  });
}

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/v1/health') {
    send(res, 200, {
      status: 'ok',
      version,
      uptimeS: Math.round((performance.now() - startedAt) / 1000),
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/api/v1/users/me') {
    me(req.headers.authorization, res).catch(() => send(res, 500, { status: 500 }));
    return;
  }
  res.writeHead(404, { 'content-length': 0 });
  res.end();
});
// Fastify's default, so idle keep-alive connections behave as they do with the API.
server.keepAliveTimeout = 72_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => void pool?.end().then(() => process.exit(0)));
  server.closeAllConnections();
});
