import { z } from 'zod';

/** How long a proof of identity (a sign-in, or a re-authentication) lets sensitive changes through. */
export const REAUTH_WINDOW_MINUTES = 10;

/**
 * The proofs of identity a re-authentication accepts: the password, a TOTP (or recovery) code, a
 * passkey, or, for an account without a password, a code mailed to its address.
 */
export const reauthProofSchema = z.enum(['password', 'totp', 'passkey', 'email_code']);
export type ReauthProof = z.infer<typeof reauthProofSchema>;
