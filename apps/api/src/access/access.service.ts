import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type ApiKeyScope, type OrgRole } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { safeEqual, sha256 } from '../core/crypto/crypto.js';
import { inTenant } from '../core/database/tenant.js';
import { AccessCache } from './access-cache.js';
import { type AccessClaims, accessClaimsOf, accessTokenVerification } from './access-token.js';
import { type Principal } from './principal.js';
import { VerifiedAccessTokens } from './verified-access-tokens.js';

/** `sk_<8-char prefix>_<secret>`: the prefix finds the key, the hash of the whole key proves it. */
const KEY_FORMAT = /^(sk_[A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{32})$/;
/** last_used_at is written at most this often, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** What authenticating an API key needs of its row (cached: see AccessCache). */
interface LiveApiKey {
  id: string;
  userId: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

/**
 * Who is calling: the one place that turns what a request presents (an access token, an API key)
 * into its Principal, for the HTTP strategies and the WebSocket alike. It reads the sessions and
 * api_keys tables itself, through the AccessCache, so that it sits below the features that write
 * them.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: Config,
    private readonly verified: VerifiedAccessTokens,
    private readonly cache: AccessCache,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * The claims of a valid access token, by the same rules as passport's JwtStrategy (see
   * access-token.ts), for callers outside passport such as the WebSocket gateway; throws when it
   * is not valid.
   */
  verifyAccessToken(token: string): AccessClaims {
    const verified = this.verified.get(token);
    if (verified) return verified;
    const claims = accessClaimsOf(
      this.jwt.verify<object>(token, accessTokenVerification(this.config)),
    );
    this.verified.add(token, claims);
    return claims;
  }

  /**
   * The principal of a verified access token, or null when its session is not live or not its
   * user's (a deleted user's sessions are gone with it): asked on every authenticated request.
   */
  async sessionPrincipal(claims: AccessClaims): Promise<Principal | null> {
    const owner = await this.cache.get(`sessions:${claims.sid}`, async () => {
      const [row] = await this.dataSource.query<{ user_id: string; expires_at: Date }[]>(
        'SELECT user_id, expires_at FROM sessions WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()',
        [claims.sid],
      );
      return row
        ? { value: row.user_id, until: Math.min(row.expires_at.getTime(), claims.exp * 1000) }
        : null;
    });
    return owner === claims.sub
      ? { kind: 'session', userId: claims.sub, sessionId: claims.sid }
      : null;
  }

  /** The principal of a presented API key, or null when it is unknown, revoked or expired. */
  async apiKeyPrincipal(presented: string): Promise<Principal | null> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return null;
    const prefix = match[1]!;
    const key = await this.cache.get(`api_keys:${prefix}`, async () => {
      const [row] = await this.dataSource.query<(LiveApiKey & { revokedAt: Date | null })[]>(
        `SELECT id, user_id AS "userId", secret_hash AS "secretHash", scopes,
                expires_at AS "expiresAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
           FROM api_keys WHERE prefix = $1`,
        [prefix],
      );
      // A revoked key is never live again; one that expires is kept until then at most.
      if (!row || row.revokedAt) return null;
      return { value: row, until: row.expiresAt?.getTime() ?? Number.MAX_SAFE_INTEGER };
    });
    if (!key || !safeEqual(key.secretHash, sha256(presented))) return null;
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) return null;
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      // Set on the (possibly cached) entry first: concurrent requests write it once.
      key.lastUsedAt = new Date();
      await this.dataSource.query('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [
        key.id,
        key.lastUsedAt,
      ]);
    }
    return { kind: 'api-key', userId: key.userId, apiKeyId: key.id, scopes: key.scopes };
  }

  /**
   * The user's role in an organisation, or null when they are not a member: asked on every
   * organisation-scoped request. Cached until the membership changes (a trigger notifies).
   */
  async memberRole(orgId: string, userId: string): Promise<OrgRole | null> {
    return this.cache.get(`memberships:${orgId}:${userId}`, async () => {
      const [row] = await inTenant(this.dataSource, { userId }, (manager) =>
        manager.query<{ role: OrgRole }[]>(
          'SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2',
          [orgId, userId],
        ),
      );
      return row ? { value: row.role, until: Number.MAX_SAFE_INTEGER } : null;
    });
  }
}
