import { ApiError } from '@repo/client';
import { type ProblemCode } from '@repo/contracts';
import { connectionMessage } from './connection';
import { type FieldErrors } from './validation';

/**
 * One sentence for a person about a failed API call: the problem's own detail when the API sent
 * one, else what happened and what to do.
 */
export function describeError(error: unknown): string {
  if (!ApiError.is(error)) {
    return error instanceof Error && error.message ? error.message : 'Something went wrong.';
  }
  switch (error.kind) {
    case 'aborted':
      return 'The request was cancelled.';
    case 'timeout':
    case 'network':
    case 'cors': {
      // The connection banner's words; development builds show the fix in the banner.
      const { title, action } = connectionMessage(
        error.kind === 'timeout' ? 'api_timeout' : error.diagnosis?.finding,
      );
      return `${title}. ${action}`;
    }
    case 'invalid_response':
      return `The API sent an unexpected answer.${reference(error)}`;
    case 'http':
      break;
  }
  if (error.isRateLimited()) {
    const seconds = error.retryAfterMs === undefined ? null : Math.ceil(error.retryAfterMs / 1000);
    return seconds
      ? `Too many attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
      : 'Too many attempts. Wait a moment and try again.';
  }
  if (error.isServerError()) {
    return `The server ran into a problem (${error.status}). Try again later.${reference(error)}`;
  }
  return error.detail ?? error.title;
}

const reference = (error: ApiError) => (error.requestId ? ` Reference: ${error.requestId}.` : '');

/**
 * Where the errors of a failed submission go: field errors of a validation problem next to the
 * fields they name (`errors[].path`), problems that concern one field (`codeFields`, e.g.
 * `wrong_password` → `currentPassword`) next to it, and everything else at the top of the form
 * (the `''` key).
 */
export function apiErrorToFieldErrors<F extends string>(
  error: unknown,
  fields: readonly F[],
  codeFields: Partial<Record<ProblemCode, F>> = {},
): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  if (!ApiError.is(error) || error.kind !== 'http') {
    errors[''] = describeError(error);
    return errors;
  }
  const known = new Set<string>(fields);
  const unplaced: string[] = [];
  for (const { path, message } of error.errors) {
    const field = path.split('.')[0] ?? '';
    if (known.has(field)) errors[field as F] ??= message;
    else unplaced.push(path ? `${path}: ${message}` : message);
  }
  const codeField = error.code ? codeFields[error.code] : undefined;
  if (codeField) {
    errors[codeField] ??= error.detail ?? error.title;
  } else if (unplaced.length > 0) {
    errors[''] = `${error.title}: ${unplaced.join('; ')}`;
  } else if (error.errors.length === 0) {
    errors[''] = describeError(error);
  }
  return errors;
}

/** True when there is nothing to show. */
export const hasErrors = (errors: FieldErrors): boolean =>
  Object.values(errors).some((message) => Boolean(message));
