import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { formOf, listenOnLoopback, sendJson, sendRedirect } from './http-server.js';

/** What the next ID token gets wrong (its claims overridden), or nothing. */
export interface Forgery {
  iss?: string;
  aud?: string;
  nonce?: string;
  exp?: number;
  iat?: number;
}

export interface ForgingProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Applied to every ID token while set. */
  forgery: Forgery;
  close(): Promise<void>;
}

/**
 * A DELIBERATELY MALICIOUS OpenID Provider for the attack tests: discovery, a JWKS and the
 * authorization code flow like a real one, but its ID tokens carry the claims a test forges
 * (another audience, another issuer, an expired token, another nonce), signed with the key it
 * publishes: only the client's checks stand between them and a session.
 */
export async function startForgingProvider(): Promise<ForgingProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), alg: 'RS256', use: 'sig', kid: 'forger' };
  const codes = new Map<string, { nonce: string | null }>();
  const forging: ForgingProvider = {
    issuer: '',
    clientId: 'forged-client',
    clientSecret: 'forged-client-secret',
    forgery: {},
    close: () => Promise.resolve(),
  };

  const server = await listenOnLoopback((req, res) => {
    const url = new URL(req.url ?? '/', 'http://forger');
    const { issuer } = forging;
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /.well-known/openid-configuration':
        return sendJson(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      case 'GET /jwks':
        return sendJson(res, 200, { keys: [jwk] });
      case 'GET /authorize': {
        const back = new URL(url.searchParams.get('redirect_uri') ?? '');
        const code = randomBytes(16).toString('hex');
        codes.set(code, { nonce: url.searchParams.get('nonce') });
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return sendRedirect(res, back.href);
      }
      case 'POST /token':
        void formOf(req).then(async (form) => {
          const grant = codes.get(form.get('code') ?? '');
          if (!grant) return sendJson(res, 400, { error: 'invalid_grant' });
          const now = Math.floor(Date.now() / 1000);
          const idToken = await new SignJWT({
            email: `forged-${randomBytes(4).toString('hex')}@example.test`,
            email_verified: true,
            ...(grant.nonce ? { nonce: grant.nonce } : {}),
            iss: issuer,
            aud: forging.clientId,
            iat: now,
            exp: now + 300,
            ...forging.forgery,
          })
            .setProtectedHeader({ alg: 'RS256', kid: 'forger' })
            .setSubject(`forged-${randomBytes(4).toString('hex')}`)
            .sign(privateKey);
          return sendJson(res, 200, {
            access_token: randomBytes(16).toString('hex'),
            token_type: 'Bearer',
            expires_in: 300,
            id_token: idToken,
          });
        });
        return;
      default:
        return sendJson(res, 404, { error: 'not_found' });
    }
  });
  forging.issuer = server.origin;
  forging.close = server.close;
  return forging;
}
