import { type ProblemCode } from '@repo/contracts';

/** The API's refusals of a new password, shown next to the form's password field. */
export const passwordProblemFields = <F extends string>(
  field: F,
): Partial<Record<ProblemCode, F>> => ({
  password_too_common: field,
  password_too_similar: field,
  password_breached: field,
});
