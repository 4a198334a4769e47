import { type Endpoint, type ReauthProof } from '@repo/contracts';

/**
 * Asked when a sensitive change is refused for want of a recent proof of identity (403
 * `reauth_required`): prove it (a dialog, then `api.reauth.reauthenticate`) and resolve true to
 * have the call sent again, or false to let it fail with that error.
 */
export type ReauthHandler = (request: {
  proofs: ReauthProof[];
  endpoint: Endpoint;
}) => Promise<boolean>;
