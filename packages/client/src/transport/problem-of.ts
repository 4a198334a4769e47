import { type Endpoint, type ProblemCodeOf, problemsOf } from '@repo/contracts';
import { ApiError } from './api-error.js';

/** An error of a call to `E` that its contract names: its `code` is one of `E`'s problems. */
export type ProblemOf<E extends Endpoint> = ApiError & { code: ProblemCodeOf<E> };

/**
 * Whether `error` is a problem the endpoint answers with (its contract's `problems` and those of
 * its kind), narrowing `error.code` to those codes:
 *
 *     catch (error) {
 *       if (isProblemOf(error, contract.auth.login) && error.code === 'invalid_credentials') …
 *     }
 */
export function isProblemOf<E extends Endpoint>(
  error: unknown,
  endpoint: E,
): error is ProblemOf<E> {
  return (
    error instanceof ApiError &&
    error.code !== undefined &&
    problemsOf(endpoint).includes(error.code)
  );
}
