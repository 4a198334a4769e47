import { type WsErrorCode } from '@repo/contracts';

/** Why a `publish` failed. */
export class RealtimeError extends Error {
  override readonly name = 'RealtimeError';
  constructor(
    readonly code: 'dropped' | 'connection_lost' | 'timeout' | 'closed' | WsErrorCode,
    message: string,
  ) {
    super(message);
  }
}
