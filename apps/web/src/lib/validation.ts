import { type z } from 'zod';

/**
 * Messages for people filling in a form, for the issues whose default zod wording is written for
 * developers ("Too small: expected string to have >=10 characters"). Messages the contracts set
 * themselves (such as the TOTP code's) take precedence over these.
 */
const formErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'Required' : undefined;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? 'Required'
          : `Must be at least ${String(issue.minimum)} characters`;
      }
      if (issue.origin === 'array') {
        return Number(issue.minimum) <= 1
          ? 'Choose at least one'
          : `Choose at least ${String(issue.minimum)}`;
      }
      if (issue.origin === 'number' || issue.origin === 'int') {
        return `Must be ${String(issue.minimum)} or more`;
      }
      return undefined;
    case 'too_big':
      if (issue.origin === 'string') return `Must be at most ${String(issue.maximum)} characters`;
      if (issue.origin === 'number' || issue.origin === 'int') {
        return `Must be ${String(issue.maximum)} or less`;
      }
      return undefined;
    case 'invalid_format':
      return issue.format === 'email' ? 'Enter a valid email address' : undefined;
    case 'invalid_union':
      // The only unions in forms are the codes that take a TOTP or a recovery code.
      return 'Enter the 6-digit code of your authenticator app, or a recovery code such as abcdef-ghjkmn-pqrstu-vwxyz2';
    default:
      return undefined;
  }
};

/** Field name → message: the first message of each field. `''` holds errors of the whole form. */
export type FieldErrors<F extends string = string> = Partial<Record<F | '', string>>;

export type ValidationResult<T, F extends string> =
  { success: true; data: T } | { success: false; errors: FieldErrors<F> };

/** The first message for each top-level field of the issues ('' for the object itself). */
function issuesToFieldErrors<F extends string>(
  issues: readonly z.core.$ZodIssue[],
): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const issue of issues) {
    const field = (issue.path.length > 0 ? String(issue.path[0]) : '') as F | '';
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Checks form values against a contract schema (the same one the API validates with), with
 * messages for people. Returns the parsed data (trimmed, lower-cased, defaulted) or the errors.
 */
export function validateForm<S extends z.ZodType, F extends string = string>(
  schema: S,
  values: unknown,
): ValidationResult<z.output<S>, F> {
  const result = schema.safeParse(values, { error: formErrorMap });
  return result.success
    ? { success: true, data: result.data }
    : { success: false, errors: issuesToFieldErrors<F>(result.error.issues) };
}

/** A TOTP or recovery code as typed: apps show "123 456", people paste with spaces. */
export const normalizeCode = (code: string): string => code.replace(/[\s\u00a0]+/g, '');

/** The text values of a form's fields by name (the last one for repeated names). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
