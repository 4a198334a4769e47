import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type LinkedAccount,
  type MfaChallenge,
  type OAuthError,
  type OAuthProviderId,
} from '@repo/contracts';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { type UserEntity } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { IdentityService } from '../identity/identity.service.js';
import { SignInService } from '../mfa/sign-in.service.js';
import { type IssuedTokens } from '../sessions/session-tokens.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import { remainingSignInMethods } from '../users/sign-in-methods.js';
import { type Flow, type PendingLink } from './oauth-cookies.js';
import { type ProviderProfile, type SignInProvider } from './providers/sign-in-provider.js';
import { SignInProviders } from './providers/sign-in-providers.js';
import { UserIdentityEntity } from './user-identity.entity.js';

const UNIQUE_VIOLATION = '23505';

/** How a provider's answer ends. */
export type Outcome =
  | { kind: 'session'; issued: IssuedTokens }
  | { kind: 'mfa'; challenge: MfaChallenge }
  /** The identity is now linked to the signed-in user who asked for it. */
  | { kind: 'linked' }
  /** An account has this email: its owner must log in to link the identity. */
  | { kind: 'pending'; pending: PendingLink }
  | { kind: 'refused'; error: OAuthError };

@Injectable()
export class OAuthService {
  constructor(
    @InjectRepository(UserIdentityEntity)
    private readonly identities: Repository<UserIdentityEntity>,
    private readonly providers: SignInProviders,
    private readonly users: UsersService,
    private readonly identity: IdentityService,
    private readonly signIns: SignInService,
    private readonly dataSource: DataSource,
    private readonly events: SecurityEventsService,
  ) {}

  /** A new flow: its secrets (to keep in the flow cookie) and the provider URL to go to. */
  async begin(
    provider: SignInProvider,
    redirectUri: string,
    next: string,
    linkUserId?: string,
  ): Promise<{ flow: Flow; url: URL }> {
    const flow: Flow = {
      provider: provider.id,
      state: randomState(),
      codeVerifier: randomPKCECodeVerifier(),
      ...(provider.usesNonce ? { nonce: randomNonce() } : {}),
      next,
      ...(linkUserId ? { linkUserId } : {}),
    };
    return { flow, url: await provider.authorizationUrl(redirectUri, flow) };
  }

  /**
   * The account rules, once the provider has said who the user is:
   * - a known identity signs its user in (through the MFA step when the account has one);
   * - an unknown one whose verified email is an account's is not linked silently: its owner
   *   logs in first (pending); an unverified email that matches signs nobody in;
   * - otherwise a new account, its email verified only if the provider verified it.
   */
  async complete(flow: Flow, profile: ProviderProfile, client: ClientInfo): Promise<Outcome> {
    if (flow.linkUserId) return this.linkFromFlow(flow.linkUserId, flow.provider, profile, client);
    const identity = await this.identities.findOneBy({
      provider: flow.provider,
      subject: profile.subject,
    });
    if (identity) return this.signIn(identity.userId, flow.provider, client);
    if (!profile.email) return { kind: 'refused', error: 'email_missing' };
    const existing = await this.users.findWithSecrets({ email: profile.email });
    if (existing) {
      if (!profile.emailVerified) return { kind: 'refused', error: 'email_unverified' };
      return {
        kind: 'pending',
        pending: {
          provider: flow.provider,
          subject: profile.subject,
          email: profile.email,
          userId: existing.id,
        },
      };
    }
    const userId = await this.createAccount(flow.provider, profile, profile.email);
    if (!profile.emailVerified) this.identity.resendVerification(profile.email);
    return this.signIn(userId, flow.provider, client);
  }

  /** Links the identity that met the user's email at sign-in, now that its owner has logged in. */
  async linkPending(
    userId: string,
    pending: PendingLink,
    client: ClientInfo,
  ): Promise<LinkedAccount> {
    if (pending.userId !== userId) {
      throw new ProblemError(
        'conflict',
        `This ${this.providers.nameOf(pending.provider)} account matched another account's email: log in to that one to link it.`,
      );
    }
    const identity = await this.link(
      userId,
      pending.provider,
      pending.subject,
      pending.email,
      client,
    );
    if (!identity)
      throw new ProblemError('conflict', 'This provider account is linked to another account.');
    return this.toLinkedAccount(identity);
  }

  async accounts(userId: string): Promise<LinkedAccount[]> {
    const rows = await this.identities.find({ where: { userId }, order: { createdAt: 'ASC' } });
    return rows.map((row) => this.toLinkedAccount(row));
  }

  /** Unlinks a provider account, unless it is the user's last way to sign in. */
  async unlink(userId: string, identityId: string, client: ClientInfo): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Two unlinks at once must not both see a method left: one waits for the other.
      await manager.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [userId]);
      const identity = await manager.findOneBy(UserIdentityEntity, { id: identityId, userId });
      if (!identity) throw new ProblemError('not_found', 'No such linked account.');
      if ((await remainingSignInMethods(userId, manager)) <= 1) {
        throw new ProblemError(
          'conflict',
          'This is your only way to sign in: set a password or link another account first.',
        );
      }
      await manager.delete(UserIdentityEntity, { id: identity.id });
      await this.events.record(
        userId,
        'provider_unlinked',
        client,
        this.providerDetails(identity.provider),
        manager,
      );
    });
  }

  private async linkFromFlow(
    userId: string,
    provider: OAuthProviderId,
    profile: ProviderProfile,
    client: ClientInfo,
  ): Promise<Outcome> {
    const identity = await this.link(userId, provider, profile.subject, profile.email, client);
    return identity ? { kind: 'linked' } : { kind: 'refused', error: 'identity_taken' };
  }

  /**
   * Links an identity to the user, and records it; null when it is another user's. Linking twice
   * is fine.
   */
  private async link(
    userId: string,
    provider: OAuthProviderId,
    subject: string,
    email: string | null,
    client: ClientInfo,
  ): Promise<UserIdentityEntity | null> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const identity = await this.insertIdentity(manager, userId, provider, subject, email);
        const details = this.providerDetails(provider);
        await this.events.record(userId, 'provider_linked', client, details, manager);
        return identity;
      });
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      const taken = await this.identities.findOneBy({ provider, subject });
      return taken?.userId === userId ? taken : null;
    }
  }

  private insertIdentity(
    manager: EntityManager,
    userId: string,
    provider: OAuthProviderId,
    subject: string,
    email: string | null,
  ): Promise<UserIdentityEntity> {
    return manager.save(manager.create(UserIdentityEntity, { userId, provider, subject, email }));
  }

  /** A new account without a password, and its identity. */
  private createAccount(
    provider: OAuthProviderId,
    profile: ProviderProfile,
    email: string,
  ): Promise<string> {
    const name = (profile.name ?? email.split('@')[0] ?? email).slice(0, 100);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create({ email, name, passwordHash: null }, manager);
      if (profile.emailVerified) {
        await manager.query('UPDATE users SET email_verified_at = now() WHERE id = $1', [user.id]);
      }
      await this.insertIdentity(manager, user.id, provider, profile.subject, email);
      return user.id;
    });
  }

  /** The end of the provider step: the same as after a password (MFA, or a session). */
  private async signIn(
    userId: string,
    provider: OAuthProviderId,
    client: ClientInfo,
  ): Promise<Outcome> {
    const user: UserEntity | null = await this.users.findWithSecrets({ id: userId });
    if (!user) return { kind: 'refused', error: 'provider_error' };
    try {
      const result = await this.signIns.signIn(user, client, { method: 'provider', provider });
      return 'mfaRequired' in result
        ? { kind: 'mfa', challenge: result }
        : { kind: 'session', issued: result };
    } catch (error) {
      if (error instanceof ProblemError && error.code === 'email_not_verified')
        return { kind: 'refused', error: 'email_not_verified' };
      throw error;
    }
  }

  /** What the audit log and the notice say of a provider. */
  private providerDetails(provider: OAuthProviderId) {
    return { provider, providerName: this.providers.nameOf(provider) };
  }

  private toLinkedAccount(identity: UserIdentityEntity): LinkedAccount {
    return {
      id: identity.id,
      provider: identity.provider,
      providerName: this.providers.nameOf(identity.provider),
      email: identity.email,
      createdAt: identity.createdAt.toISOString(),
    };
  }
}
