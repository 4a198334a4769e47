import {
  type PasskeyAuthenticationOptions,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationOptions,
  type PasskeyRegistrationResponse,
} from '@repo/contracts';
import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';

/**
 * The browser's half of a passkey ceremony. The API's options are @simplewebauthn/server's JSON
 * (the contract checks their main fields and passes the rest through); the browser's answer is
 * the JSON the contract's request schemas describe, which the API checks again.
 */

export const createPasskey = async (
  options: PasskeyRegistrationOptions,
): Promise<PasskeyRegistrationResponse> =>
  (await startRegistration({
    optionsJSON: options,
  })) as PasskeyRegistrationResponse;

/** `autofill`: wait for the user to pick a passkey in the email field's suggestions. */
export const answerWithPasskey = async (
  options: PasskeyAuthenticationOptions,
  autofill = false,
): Promise<PasskeyAuthenticationResponse> =>
  (await startAuthentication({
    optionsJSON: options,
    useBrowserAutofill: autofill,
  })) as PasskeyAuthenticationResponse;

/** The user closed the browser's dialog, or another ceremony replaced this one. */
export const wasCancelled = (error: unknown) =>
  error instanceof Error &&
  (error.name === 'NotAllowedError' ||
    error.name === 'AbortError' ||
    (error instanceof WebAuthnError && error.code === 'ERROR_CEREMONY_ABORTED'));

/** One sentence about a failed ceremony in the browser (API errors are described elsewhere). */
export function ceremonyMessage(error: unknown): string | undefined {
  if (wasCancelled(error)) return 'The passkey request was cancelled or timed out.';
  if (error instanceof WebAuthnError && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED')
    return 'This device already holds a passkey for your account.';
  if (error instanceof Error && error.name === 'SecurityError')
    return 'Passkeys are not available on this address (they need https or localhost).';
  return undefined;
}
