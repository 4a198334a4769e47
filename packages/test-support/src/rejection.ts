import { ApiError } from '@repo/client';

/** The ApiError a call rejects with; throws when it resolves or fails otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError))
    throw new Error(`expected an ApiError, got ${String(error)}`, { cause: error });
  return error;
}
