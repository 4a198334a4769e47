import { describeError } from '@/lib/form-errors';
import { ceremonyMessage } from './webauthn';

/** What to tell the user when adding or using a passkey failed, in the browser or at the API. */
export const passkeyErrorMessage = (error: unknown): string =>
  ceremonyMessage(error) ?? describeError(error);
