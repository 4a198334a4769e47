import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { REALTIME_EVENTS, type Session, type SessionRevoked, userTopic } from '@repo/contracts';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager, IsNull, MoreThan, Repository } from 'typeorm';
import { Config } from '../core/config/config.js';
import { durationSeconds } from '../core/config/duration.js';
import { AfterCommit } from '../core/database/after-commit.js';
import { randomToken, sha256 } from '../core/crypto/crypto.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { RealtimeBus } from '../core/realtime-bus/realtime-bus.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { SessionEntity } from './session.entity.js';
import { UsedRefreshTokenEntity } from './used-refresh-token.entity.js';

export interface Rotation {
  userId: string;
  sessionId: string;
  /** The new refresh token; absent when a just-rotated token was replayed within the grace window. */
  refreshToken?: string;
}

const clip = (value: string | undefined, max: number) => (value ? value.slice(0, max) : null);

@Injectable()
export class SessionsService {
  readonly refreshTtlS: number;
  private readonly maxLifetimeS: number;

  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @InjectRepository(UsedRefreshTokenEntity)
    private readonly usedTokens: Repository<UsedRefreshTokenEntity>,
    private readonly dataSource: DataSource,
    private readonly config: Config,
    private readonly bus: RealtimeBus,
    private readonly afterCommit: AfterCommit,
    private readonly events: SecurityEventsService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(SessionsService.name);
    this.refreshTtlS = durationSeconds(config.REFRESH_TOKEN_TTL);
    this.maxLifetimeS = durationSeconds(config.SESSION_MAX_LIFETIME);
  }

  private expiry = () => new Date(Date.now() + this.refreshTtlS * 1000);

  /** Starts a session (a refresh-token family) and returns its first refresh token. */
  async create(
    userId: string,
    client: ClientInfo,
    manager: EntityManager = this.dataSource.manager,
  ) {
    // The used-token history of the user's ended sessions can no longer catch anything.
    await manager.query(
      `DELETE FROM used_refresh_tokens u USING sessions s
        WHERE u.session_id = s.id AND s.user_id = $1 AND (s.revoked_at IS NOT NULL OR s.expires_at < now())`,
      [userId],
    );
    const refreshToken = randomToken();
    const session = await manager.getRepository(SessionEntity).save({
      userId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Math.min(this.expiry().getTime(), Date.now() + this.maxLifetimeS * 1000)),
      userAgent: clip(client.userAgent, 512),
      ip: clip(client.ip, 64),
    });
    return { sessionId: session.id, refreshToken };
  }

  /**
   * Exchanges a refresh token for a new one. The current token rotates (atomically: of concurrent
   * refreshes with it, one rotates and the others find it just rotated). A rotated token presented
   * again within the grace window still works, without a new token (two tabs refreshing at once);
   * later, or any older token of the family, means it was copied: the whole session is revoked.
   */
  async rotate(refreshToken: string, client: ClientInfo): Promise<Rotation> {
    const hash = sha256(refreshToken);
    const next = randomToken();
    // In a CTE so TypeORM returns the rows (for a bare UPDATE it returns [rows, count]).
    const rotated = await this.dataSource.query<{ id: string; user_id: string }[]>(
      `WITH rotated AS (
         UPDATE sessions
            SET previous_token_hash = token_hash, token_hash = $2, rotated_at = now(), last_used_at = now(),
                expires_at = LEAST($3, created_at + make_interval(secs => $6)), user_agent = coalesce($4, user_agent), ip = coalesce($5, ip)
          WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()
                AND created_at > now() - make_interval(secs => $6)
          RETURNING id, user_id),
       used AS (INSERT INTO used_refresh_tokens (token_hash, session_id) SELECT $1, id FROM rotated)
       SELECT * FROM rotated`,
      [
        hash,
        sha256(next),
        this.expiry(),
        clip(client.userAgent, 512),
        clip(client.ip, 64),
        this.maxLifetimeS,
      ],
    );
    const row = rotated[0];
    if (row) return { userId: row.user_id, sessionId: row.id, refreshToken: next };

    const current = await this.sessions.findOneBy({ tokenHash: hash });
    if (current) {
      if (current.revokedAt)
        throw new ProblemError('token_invalid', 'This session has ended: log in again.');
      throw new ProblemError('token_expired', 'The session has expired: log in again.');
    }
    const previous = await this.sessions.findOneBy({ previousTokenHash: hash });
    const graceEnds =
      (previous?.rotatedAt?.getTime() ?? 0) + this.config.REFRESH_GRACE_SECONDS * 1000;
    if (previous && !previous.revokedAt && Date.now() <= graceEnds) {
      return { userId: previous.userId, sessionId: previous.id };
    }
    const used = await this.usedTokens.findOneBy({ tokenHash: hash });
    const victim = used ? await this.revoke(used.sessionId) : null;
    if (used && victim) {
      await this.events.record(victim, 'refresh_token_reused', client, {
        sessionId: used.sessionId,
      });
      throw new ProblemError(
        'refresh_reused',
        'This refresh token was already used: the session has been ended to protect the account.',
      );
    }
    throw new ProblemError('token_invalid', 'The refresh token is not valid: log in again.');
  }

  /** The session a refresh token belongs to: its current one, or any it rotated away. */
  async findByRefreshToken(refreshToken: string): Promise<SessionEntity | null> {
    const hash = sha256(refreshToken);
    const used = await this.usedTokens.findOneBy({ tokenHash: hash });
    return this.sessions.findOne({ where: used ? { id: used.sessionId } : { tokenHash: hash } });
  }

  async list(userId: string, currentSessionId: string): Promise<Session[]> {
    const sessions = await this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC' },
    });
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastUsedAt.toISOString(),
      userAgent: s.userAgent,
      ip: s.ip,
      current: s.id === currentSessionId,
    }));
  }

  /**
   * After a re-authentication: marks the time of the proof and rotates the session's refresh
   * token, as a refresh does (the previous one is used up: presented after the grace window, it
   * ends the session as a copied token would). The new refresh token, or null when the session is
   * not live.
   */
  async renew(sessionId: string, userId: string): Promise<string | null> {
    const next = randomToken();
    const renewed = await this.dataSource.query<{ id: string }[]>(
      `WITH renewed AS (
         UPDATE sessions
            SET previous_token_hash = token_hash, token_hash = $3, rotated_at = now(),
                authenticated_at = now()
          WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now()
          RETURNING id, previous_token_hash),
       used AS (INSERT INTO used_refresh_tokens (token_hash, session_id)
                SELECT previous_token_hash, id FROM renewed)
       SELECT id FROM renewed`,
      [sessionId, userId, sha256(next)],
    );
    return renewed.length > 0 ? next : null;
  }

  /** Ends one session (of this user, if given); its user, or null when it was not live. */
  async revoke(sessionId: string, userId?: string): Promise<string | null> {
    const revoked = await this.dataSource.query<RevokedRow[]>(
      `WITH revoked AS (
         UPDATE sessions SET revoked_at = now()
          WHERE id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR user_id = $2)
          RETURNING id, user_id)
       SELECT * FROM revoked`,
      [sessionId, userId ?? null],
    );
    this.announce(revoked, this.dataSource.manager);
    return revoked[0]?.user_id ?? null;
  }

  /** Ends the session of a refresh token; unknown tokens are fine (logging out twice is not an error). */
  async logout(refreshToken: string, client: ClientInfo): Promise<void> {
    const session = await this.findByRefreshToken(refreshToken);
    if (session && (await this.revoke(session.id))) {
      await this.events.record(session.userId, 'logout', client, { sessionId: session.id });
    }
  }

  /** Ends every session of the user, this one too. */
  async logoutAll(userId: string, client: ClientInfo): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.revokeAll(userId, undefined, manager);
      await this.events.record(userId, 'sessions_revoked', client, {}, manager);
    });
  }

  /** Ends one of the user's sessions at their request; false when it was not live. */
  async revokeOwn(sessionId: string, userId: string, client: ClientInfo): Promise<boolean> {
    if (!(await this.revoke(sessionId, userId))) return false;
    await this.events.record(userId, 'session_revoked', client, { sessionId });
    return true;
  }

  /** Ends every session of a user, but one if given. */
  async revokeAll(
    userId: string,
    exceptSessionId?: string,
    manager: EntityManager = this.dataSource.manager,
  ) {
    const revoked = await manager.query<RevokedRow[]>(
      `WITH revoked AS (
         UPDATE sessions SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2)
          RETURNING id, user_id)
       SELECT * FROM revoked`,
      [userId, exceptSessionId ?? null],
    );
    this.announce(revoked, manager);
  }

  /** Tells the user's sockets, once committed: the gateway closes those of ended sessions. */
  private announce(revoked: RevokedRow[], manager: EntityManager) {
    this.afterCommit.run(manager, () => {
      for (const { id, user_id } of revoked) {
        this.bus
          .publish(userTopic(user_id), REALTIME_EVENTS.sessionRevoked, {
            sessionId: id,
          } satisfies SessionRevoked)
          .catch((error: unknown) =>
            this.logger.error({ err: error }, 'Could not announce a revoked session'),
          );
      }
    });
  }
}

interface RevokedRow {
  id: string;
  user_id: string;
}
