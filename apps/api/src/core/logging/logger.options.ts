import { type IncomingMessage } from 'node:http';
import { type Options } from 'pino-http';
import { type Config } from '../config/config.js';

/** Never logged: credentials in headers, and any field named like a secret, at any depth. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.mfaToken',
  '*.secret',
];

const SECRET_QUERY_PARAMS = /([?&](?:token|access_token|refresh_token|api_key|code)=)[^&]*/gi;

/** The request as logged: the query string keeps its keys but loses secret values. */
const serializeRequest = (req: IncomingMessage & { id?: string }) => ({
  id: req.id,
  method: req.method,
  url: req.url?.replace(SECRET_QUERY_PARAMS, '$1[redacted]'),
  headers: req.headers,
  remoteAddress: req.socket?.remoteAddress,
});

/**
 * pino-http makes the root logger from these (nestjs-pino's PinoLogger calls it), wrapping the
 * serializers in its standard ones for `req`, `res` and `err`: the request log's fields.
 */
export function loggerOptions(config: Config, toStream: boolean): Options {
  const pretty =
    !toStream && (config.LOG_FORMAT ?? (config.isProduction ? 'json' : 'pretty')) === 'pretty';
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
    ...(pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, ignore: 'pid,hostname,req.headers,res.headers' },
          },
        }
      : {}),
  };
}
