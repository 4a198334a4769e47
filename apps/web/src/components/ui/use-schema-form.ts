import { type ProblemCode } from '@repo/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { type z } from 'zod';
import { apiErrorToFieldErrors } from '@/lib/form-errors';
import { type FieldErrors, formValues, validateForm } from '@/lib/validation';
import { focusFirstInvalid } from './field';

export interface SchemaFormOptions<S extends z.ZodType, F extends string> {
  /** The contract schema the values must pass (the same one the API validates with). */
  schema: S;
  /** The fields that API field errors may be shown next to. */
  fields: readonly F[];
  /** Problems that concern one field (e.g. `wrong_password` → `currentPassword`). */
  codeFields?: Partial<Record<ProblemCode, F>>;
  /** Called first on every submission, before validation. */
  onStart?: () => void;
  /** The values to validate (default: the form's text values by name). */
  values?: (form: HTMLFormElement) => unknown;
  /** Sends the valid data; a rejection becomes errors of the form. */
  submit: (data: z.output<S>, form: HTMLFormElement) => Promise<void>;
  /** Handles validation errors itself when it returns true. */
  onInvalid?: (errors: FieldErrors<F>) => boolean;
  /** Handles a failed submission itself when it returns true. */
  onError?: (error: unknown, data: z.output<S>) => boolean;
  /** Whether to focus the first invalid field after a failed submission (default true). */
  focusApiErrors?: boolean;
}

/** What a submission does to the form's state: the hook passes React's setters. */
export interface SchemaFormEffects<F extends string> {
  setErrors: (errors: FieldErrors<F>) => void;
  setPending: (pending: boolean) => void;
  focusFirstInvalid: () => void;
}

/** One submission: validate, then submit with `pending` set, and show what went wrong. */
export async function runSchemaSubmit<S extends z.ZodType, F extends string>(
  options: SchemaFormOptions<S, F>,
  values: unknown,
  form: HTMLFormElement,
  effects: SchemaFormEffects<F>,
): Promise<void> {
  const result = validateForm<S, F>(options.schema, values);
  if (!result.success) {
    if (options.onInvalid?.(result.errors)) return;
    effects.setErrors(result.errors);
    effects.focusFirstInvalid();
    return;
  }
  effects.setErrors({});
  effects.setPending(true);
  try {
    await options.submit(result.data, form);
  } catch (error) {
    if (!options.onError?.(error, result.data)) {
      effects.setErrors(apiErrorToFieldErrors<F>(error, options.fields, options.codeFields));
      if (options.focusApiErrors ?? true) effects.focusFirstInvalid();
    }
  } finally {
    effects.setPending(false);
  }
}

/**
 * The submit plumbing of a form validated by a contract schema: its ref, field errors and
 * pending state, and an `onSubmit` for the `<form>`.
 */
export function useSchemaForm<S extends z.ZodType, F extends string>(
  options: SchemaFormOptions<S, F>,
) {
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [pending, setPending] = useState(false);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    options.onStart?.();
    const form = event.currentTarget;
    const values = (options.values ?? formValues)(form);
    void runSchemaSubmit(options, values, form, {
      setErrors,
      setPending,
      focusFirstInvalid: () => focusFirstInvalid(formRef.current),
    });
  };

  return { formRef, errors, setErrors, pending, onSubmit };
}
