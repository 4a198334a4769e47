import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type AuthTokens } from '@repo/contracts';
import { DataSource } from 'typeorm';
import { Config } from '../core/config/config.js';
import { durationSeconds } from '../core/config/duration.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { ProblemError } from '../core/problem/problem.error.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { PASSWORD_SIGN_IN, signInEvent, type SignInVia } from '../security-events/sign-in-via.js';
import { type UserEntity } from '../users/user.entity.js';
import { toUser } from '../users/user.mapper.js';
import { UsersService } from '../users/users.service.js';
import { SessionsService } from './sessions.service.js';

/** Tokens for a new or refreshed session; the refresh token goes to the cookie (or the body). */
export interface IssuedTokens {
  body: AuthTokens;
  refreshToken?: string;
}

/**
 * A session's tokens: the access token (a JWT of access-token.ts's rules, HS256 with issuer and
 * audience) and the refresh token, when a session starts, refreshes or is renewed.
 */
@Injectable()
export class SessionTokensService {
  readonly accessTtlS: number;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: Config,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly events: SecurityEventsService,
    private readonly dataSource: DataSource,
  ) {
    this.accessTtlS = durationSeconds(config.ACCESS_TOKEN_TTL);
  }

  /** A new session for a user whose every sign-in step is done, recorded in the audit log. */
  async startSession(
    user: UserEntity,
    client: ClientInfo,
    via: SignInVia = PASSWORD_SIGN_IN,
  ): Promise<IssuedTokens> {
    const { sessionId, refreshToken } = await this.dataSource.transaction(async (manager) => {
      const session = await this.sessions.create(user.id, client, manager);
      const [type, details] = signInEvent(via);
      await this.events.record(user.id, type, client, details, manager);
      return session;
    });
    return { body: this.authTokens(user, sessionId), refreshToken };
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const rotation = await this.sessions.rotate(refreshToken, client);
    const user = await this.users.findById(rotation.userId);
    if (!user) throw new ProblemError('token_invalid', 'The account no longer exists.');
    return {
      body: this.authTokens(user, rotation.sessionId),
      ...(rotation.refreshToken ? { refreshToken: rotation.refreshToken } : {}),
    };
  }

  /** New tokens for a live session whose user has just proved who they are again (ASVS 7.2.4). */
  async renewSession(user: UserEntity, sessionId: string): Promise<IssuedTokens> {
    const refreshToken = await this.sessions.renew(sessionId, user.id);
    if (!refreshToken)
      throw new ProblemError('token_invalid', 'This session has ended: log in again.');
    return { body: this.authTokens(user, sessionId), refreshToken };
  }

  private authTokens(user: UserEntity, sessionId: string): AuthTokens {
    return {
      accessToken: this.jwt.sign(
        { sid: sessionId },
        { subject: user.id, audience: this.config.JWT_AUDIENCE, expiresIn: this.accessTtlS },
      ),
      tokenType: 'Bearer',
      expiresIn: this.accessTtlS,
      user: toUser(user),
    };
  }
}
