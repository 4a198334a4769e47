import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  type AddPasskey,
  type Passkey,
  type PasskeyAuthenticationOptions,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationOptions,
} from '@repo/contracts';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { DataSource, Repository } from 'typeorm';
import { ProblemError } from '../core/problem/problem.error.js';
import { UsersService } from '../users/users.service.js';
import { SecurityEventsService } from '../security-events/security-events.service.js';
import { type ClientInfo } from '../core/http/client-info.js';
import {
  CHALLENGE_TTL_MS,
  type ChallengePurpose,
  type IssuedChallenge,
  PasskeyChallenges,
} from './passkey-challenges.js';
import { PasskeyEntity } from './passkey.entity.js';
import { defaultPasskeyName } from './passkey-name.js';
import { RelyingParty } from './relying-party.js';

const UNIQUE_VIOLATION = '23505';

/** The ceremonies answered with a passkey of a known user. */
type OwnPurpose = Extract<ChallengePurpose, 'mfa' | 'reauth'>;

const rejected = (detail: string) => new ProblemError('passkey_rejected', detail);

/** Why the library refused an answer, for the problem's detail (it names no secret). */
const reasonOf = (error: unknown) =>
  `The passkey was not accepted: ${error instanceof Error ? error.message : 'verification failed'}.`;

/** The WebAuthn user handle of a user: the bytes of their id (no personal data). */
const userHandleOf = (userId: string) =>
  new Uint8Array(Buffer.from(userId.replaceAll('-', ''), 'hex'));

const toPasskey = (p: PasskeyEntity): Passkey => ({
  id: p.id,
  name: p.name,
  deviceType: p.deviceType,
  backedUp: p.backedUp,
  transports: p.transports,
  createdAt: p.createdAt.toISOString(),
  lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
});

/**
 * Passkeys: adding one to an account (registration), and answering with one (authentication),
 * either as the whole sign-in (a discoverable credential with user verification) or as the second
 * step of a password login. Counters and last use are kept on every use.
 */
@Injectable()
export class PasskeysService {
  constructor(
    @InjectRepository(PasskeyEntity) private readonly passkeys: Repository<PasskeyEntity>,
    private readonly users: UsersService,
    private readonly rp: RelyingParty,
    private readonly challenges: PasskeyChallenges,
    private readonly dataSource: DataSource,
    private readonly events: SecurityEventsService,
  ) {}

  async registrationOptions(userId: string): Promise<PasskeyRegistrationOptions> {
    const user = await this.users.findById(userId);
    if (!user) throw new ProblemError('not_found', 'The user no longer exists.');
    const existing = await this.passkeys.findBy({ userId });
    // Spread: the contract's schema takes the library's JSON as it is (an open object).
    return {
      ...(await generateRegistrationOptions({
        rpName: this.rp.name,
        rpID: this.rp.id,
        userID: userHandleOf(userId),
        userName: user.email,
        userDisplayName: user.name,
        challenge: this.challenges.issue('register', userId),
        timeout: CHALLENGE_TTL_MS,
        attestationType: 'none',
        // The same authenticator twice would be two passkeys for one device.
        excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
        // Discoverable, so it can sign in without an email; verified, so it alone is enough.
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      })),
    };
  }

  async add(userId: string, input: AddPasskey, client: ClientInfo): Promise<Passkey> {
    const { response } = input;
    let challenge: IssuedChallenge | undefined;
    let info;
    try {
      const verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: (c) =>
          Boolean((challenge = this.challenges.read(c, 'register', userId))),
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
      });
      info = verification.registrationInfo;
    } catch (error) {
      throw rejected(reasonOf(error));
    }
    if (!info || !challenge) throw rejected('The passkey was not accepted.');
    const { credential } = info;
    const accepted = challenge;
    try {
      const saved = await this.dataSource.transaction(async (manager) => {
        await this.challenges.consume(accepted, manager);
        const passkey = await manager.getRepository(PasskeyEntity).save(
          manager.create(PasskeyEntity, {
            userId,
            credentialId: credential.id,
            publicKey: Buffer.from(credential.publicKey),
            counter: String(credential.counter),
            transports: response.response.transports ?? [],
            deviceType: info.credentialDeviceType,
            backedUp: info.credentialBackedUp,
            name: input.name ?? defaultPasskeyName(info.aaguid, client.userAgent),
            lastUsedAt: null,
          }),
        );
        const details = { passkeyId: passkey.id, name: passkey.name };
        await this.events.record(userId, 'passkey_added', client, details, manager);
        return passkey;
      });
      return toPasskey(saved);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION)
        throw new ProblemError('conflict', 'This passkey is already registered.');
      throw error;
    }
  }

  async list(userId: string): Promise<Passkey[]> {
    const passkeys = await this.passkeys.find({ where: { userId }, order: { createdAt: 'ASC' } });
    return passkeys.map(toPasskey);
  }

  async rename(userId: string, id: string, name: string): Promise<Passkey> {
    const passkey = await this.own(userId, id);
    passkey.name = name;
    return toPasskey(await this.passkeys.save(passkey));
  }

  /** Deletes a passkey, and records it. */
  async remove(userId: string, id: string, client: ClientInfo) {
    await this.dataSource.transaction(async (manager) => {
      const [deleted] = await manager.query<{ name: string }[]>(
        `WITH deleted AS (DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING name)
         SELECT * FROM deleted`,
        [id, userId],
      );
      if (!deleted) throw new ProblemError('not_found', 'No such passkey.');
      const details = { passkeyId: id, name: deleted.name };
      await this.events.record(userId, 'passkey_removed', client, details, manager);
    });
  }

  /**
   * For a sign-in with any passkey of this site: the browser offers the user's discoverable
   * credentials. User verification is required: the passkey is then the whole sign-in
   * (possession and a PIN or biometric), so no second step follows.
   */
  async signInOptions(): Promise<PasskeyAuthenticationOptions> {
    return {
      ...(await generateAuthenticationOptions({
        rpID: this.rp.id,
        challenge: this.challenges.issue('sign-in'),
        timeout: CHALLENGE_TTL_MS,
        userVerification: 'required',
      })),
    };
  }

  /** The user a passkey sign-in proves, once its answer is verified and recorded. */
  async signIn(response: PasskeyAuthenticationResponse): Promise<string> {
    const passkey = await this.passkeys.findOneBy({ credentialId: response.id });
    if (!passkey) throw rejected('This passkey is not registered here (it may have been deleted).');
    // A discoverable credential names its user: it must be the passkey's owner.
    const handle = response.response.userHandle;
    if (handle && handle !== Buffer.from(userHandleOf(passkey.userId)).toString('base64url'))
      throw rejected('This passkey belongs to another account.');
    await this.verifyAssertion(passkey, response, 'sign-in');
    return passkey.userId;
  }

  /**
   * Options to answer with one of the user's passkeys: as the second step of a password login,
   * where the password was the first factor and presence is enough ('preferred': a security key
   * without a PIN works), or as a re-authentication, where the passkey is the whole proof and
   * must verify the user.
   */
  async ownOptions(userId: string, purpose: OwnPurpose): Promise<PasskeyAuthenticationOptions> {
    const passkeys = await this.passkeys.findBy({ userId });
    if (passkeys.length === 0) throw rejected('This account has no passkey: use a code.');
    return {
      ...(await generateAuthenticationOptions({
        rpID: this.rp.id,
        challenge: this.challenges.issue(purpose, userId),
        timeout: CHALLENGE_TTL_MS,
        userVerification: purpose === 'reauth' ? 'required' : 'preferred',
        allowCredentials: passkeys.map((p) => ({ id: p.credentialId, transports: p.transports })),
      })),
    };
  }

  /** Accepts a passkey of this user, answering options of that purpose, or throws. */
  async verifyOwn(
    userId: string,
    response: PasskeyAuthenticationResponse,
    purpose: OwnPurpose,
  ): Promise<void> {
    const passkey = await this.passkeys.findOneBy({ credentialId: response.id, userId });
    if (!passkey) throw rejected('This passkey is not one of this account’s.');
    await this.verifyAssertion(passkey, response, purpose, userId);
  }

  /**
   * Checks an assertion against the stored key, then, in one transaction, uses up its challenge
   * and moves the counter on (a counter that does not move forward means a cloned key).
   */
  private async verifyAssertion(
    passkey: PasskeyEntity,
    response: PasskeyAuthenticationResponse,
    purpose: ChallengePurpose,
    userId = '',
  ): Promise<void> {
    let challenge: IssuedChallenge | undefined;
    let info;
    try {
      const verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (c) => Boolean((challenge = this.challenges.read(c, purpose, userId))),
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: Number(passkey.counter),
          transports: passkey.transports,
        },
        requireUserVerification: purpose !== 'mfa',
      });
      if (verification.verified) info = verification.authenticationInfo;
    } catch (error) {
      throw rejected(reasonOf(error));
    }
    if (!info || !challenge) throw rejected('The passkey was not accepted.');
    const accepted = challenge;
    const { newCounter, credentialBackedUp } = info;
    await this.dataSource.transaction(async (manager) => {
      await this.challenges.consume(accepted, manager);
      // Checked again here: another replica may have accepted a newer count meanwhile.
      const moved = await manager.query<unknown[]>(
        `WITH moved AS (
           UPDATE passkeys SET counter = $2, backed_up = $3, last_used_at = now()
            WHERE id = $1 AND (counter < $2 OR (counter = 0 AND $2 = 0)) RETURNING id)
         SELECT * FROM moved`,
        [passkey.id, newCounter, credentialBackedUp],
      );
      if (moved.length === 0)
        throw rejected('The passkey’s counter went backwards: it may have been copied.');
    });
  }

  private async own(userId: string, id: string): Promise<PasskeyEntity> {
    const passkey = await this.passkeys.findOneBy({ id, userId });
    if (!passkey) throw new ProblemError('not_found', 'No such passkey.');
    return passkey;
  }
}
