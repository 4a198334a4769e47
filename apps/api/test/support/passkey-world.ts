import {
  type AuthTokens,
  contract,
  type Passkey,
  type PasskeyAuthenticationOptions,
  type PasskeyRegistrationOptions,
} from '@repo/contracts';
import { SoftwareAuthenticator, type Tweaks } from './software-authenticator.js';
import { type MfaUser, type TestUser, type World } from './world.js';

/** The helpers passkey scenarios and tests share, over a World: users with passkeys. */

const { passkeys } = contract;

export interface PasskeyUser extends TestUser {
  authenticator: SoftwareAuthenticator;
  passkey: Passkey;
}

export type PasskeyMfaUser = MfaUser & PasskeyUser;

export async function registrationOptions(w: World, user: TestUser) {
  const reply = await w.expect(
    'passkey registration options',
    passkeys.registrationOptions,
    'success',
    {
      as: user,
    },
  );
  return reply.json() as PasskeyRegistrationOptions;
}

/** Adds a passkey of `authenticator` to the user's account, through the API. */
export async function addPasskey(
  w: World,
  user: TestUser,
  authenticator = new SoftwareAuthenticator(),
  name = 'Test key',
): Promise<Passkey> {
  const response = authenticator.register(await registrationOptions(w, user));
  const reply = await w.expect('add a passkey', passkeys.add, 'success', {
    as: user,
    body: { name, response },
  });
  return reply.json() as Passkey;
}

/** A new user with one passkey on a software authenticator. */
export async function passkeyUser(w: World): Promise<PasskeyUser> {
  const user = await w.user();
  const authenticator = new SoftwareAuthenticator();
  return { ...user, authenticator, passkey: await addPasskey(w, user, authenticator) };
}

/** A new user with TOTP on and a passkey. */
export async function passkeyMfaUser(w: World): Promise<PasskeyMfaUser> {
  const user = await w.mfaUser();
  const authenticator = new SoftwareAuthenticator();
  return { ...user, authenticator, passkey: await addPasskey(w, user, authenticator) };
}

export async function signInOptions(w: World): Promise<PasskeyAuthenticationOptions> {
  const reply = await w.expect('passkey sign-in options', passkeys.signInOptions, 'success');
  return reply.json() as PasskeyAuthenticationOptions;
}

export async function mfaOptions(
  w: World,
  mfaToken: string,
): Promise<PasskeyAuthenticationOptions> {
  const reply = await w.expect('passkey MFA options', passkeys.mfaOptions, 'success', {
    body: { mfaToken },
  });
  return reply.json() as PasskeyAuthenticationOptions;
}

/** The body of a passkey sign-in, answered by the user's authenticator. */
export async function signInBody(w: World, user: PasskeyUser, tweaks: Tweaks = {}) {
  return { response: user.authenticator.assert(await signInOptions(w), tweaks) };
}

/** The body that answers a password login's MFA challenge with the user's passkey. */
export async function mfaBody(w: World, user: PasskeyMfaUser, tweaks: Tweaks = {}) {
  const mfaToken = await w.mfaChallenge(user);
  return { mfaToken, response: user.authenticator.assert(await mfaOptions(w, mfaToken), tweaks) };
}

/** Signs in with the user's passkey; the tokens. */
export async function passkeySignIn(w: World, user: PasskeyUser): Promise<AuthTokens> {
  const reply = await w.expect('passkey sign-in', passkeys.signIn, 'success', {
    body: await signInBody(w, user),
  });
  return reply.json() as AuthTokens;
}
