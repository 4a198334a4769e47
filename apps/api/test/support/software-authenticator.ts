import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  type PasskeyAuthenticationOptions,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationOptions,
  type PasskeyRegistrationResponse,
} from '@repo/contracts';
import { BROWSER_ORIGIN } from './auth-client.js';
import { encodeCbor } from './cbor.js';

/** A passkey this authenticator holds. */
export interface SoftwareCredential {
  id: string;
  rpId: string;
  /** The user handle the site gave at registration (base64url). */
  userHandle: string;
  privateKey: KeyObject;
  /** The signature counter it reports next time, minus one. */
  counter: number;
}

/** What a test may bend in a ceremony, to see the API refuse it. */
export interface Tweaks {
  /** The page the browser says the ceremony ran on. */
  origin?: string;
  /** The RP ID the authenticator hashes into its data (default: the options'). */
  rpId?: string;
  /** The counter to report (default: one more than the last). */
  counter?: number;
  /** Whether the user was verified (PIN, biometric); default true. */
  userVerified?: boolean;
  /** The credential to answer with (default: the first the options allow), or to register again. */
  credential?: SoftwareCredential;
  /** Replaces the challenge the browser signs (default: the options'). */
  challenge?: string;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;
/** All zeros: an authenticator that does not say what it is. */
const AAGUID = Buffer.alloc(16);

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64u = (data: Buffer) => data.toString('base64url');

function counterBytes(counter: number) {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter >>> 0);
  return bytes;
}

/** The credential's public key as COSE (EC2, ES256, P-256). */
function coseKey(privateKey: KeyObject): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  return encodeCbor(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
}

/**
 * A software authenticator for tests (a stand-in for a security key or a platform passkey, which
 * a test run cannot touch): EC P-256 keys from node:crypto, 'none' attestation, and
 * authenticatorData, clientDataJSON and signatures built as WebAuthn specifies, so the API
 * verifies them with its real library. Its passkeys are discoverable (resident).
 */
export class SoftwareAuthenticator {
  readonly credentials: SoftwareCredential[] = [];

  constructor(readonly origin: string = BROWSER_ORIGIN) {}

  /** navigator.credentials.create: a new passkey for the options' RP and user. */
  register(options: PasskeyRegistrationOptions, tweaks: Tweaks = {}): PasskeyRegistrationResponse {
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    // tweaks.credential: the same key pair again (an authenticator enrolled twice).
    const privateKey =
      tweaks.credential?.privateKey ??
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const id = tweaks.credential ? Buffer.from(tweaks.credential.id, 'base64url') : randomBytes(32);
    const credential: SoftwareCredential = {
      id: b64u(id),
      rpId,
      userHandle: options.user.id,
      privateKey,
      counter: 0,
    };
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      sha256(tweaks.rpId ?? rpId),
      Buffer.from([FLAG_UP | FLAG_AT | (tweaks.userVerified === false ? 0 : FLAG_UV)]),
      counterBytes(tweaks.counter ?? 0),
      AAGUID,
      idLength,
      id,
      coseKey(privateKey),
    ]);
    const clientData = this.clientData(
      'webauthn.create',
      tweaks.challenge ?? options.challenge,
      tweaks,
    );
    this.credentials.push(credential);
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        attestationObject: b64u(encodeCbor({ fmt: 'none', attStmt: {}, authData })),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get: an assertion by one of its passkeys for the options' RP. */
  assert(
    options: PasskeyAuthenticationOptions,
    tweaks: Tweaks = {},
  ): PasskeyAuthenticationResponse {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = options.allowCredentials?.map((c) => c.id);
    const credential =
      tweaks.credential ??
      this.credentials.find((c) => c.rpId === rpId && (!allowed?.length || allowed.includes(c.id)));
    if (!credential) throw new Error(`No passkey for ${rpId} among those the options allow`);
    credential.counter = tweaks.counter ?? credential.counter + 1;
    const authData = Buffer.concat([
      sha256(tweaks.rpId ?? rpId),
      Buffer.from([FLAG_UP | (tweaks.userVerified === false ? 0 : FLAG_UV)]),
      counterBytes(credential.counter),
    ]);
    const clientData = this.clientData(
      'webauthn.get',
      tweaks.challenge ?? options.challenge,
      tweaks,
    );
    const signature = sign(
      'sha256',
      Buffer.concat([authData, sha256(clientData)]),
      credential.privateKey,
    );
    return {
      id: credential.id,
      rawId: credential.id,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientData),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: credential.userHandle,
      },
    };
  }

  private clientData(type: string, challenge: string, tweaks: Tweaks): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge, origin: tweaks.origin ?? this.origin, crossOrigin: false }),
    );
  }
}
