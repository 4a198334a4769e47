import { ApiError } from '@repo/client';
import { z } from 'zod';
import { describe, expect, it, vi } from 'vitest';
import { type FieldErrors } from '@/lib/validation';
import { runSchemaSubmit, type SchemaFormEffects } from './use-schema-form';

const schema = z.object({ name: z.string().min(1), email: z.email() });
type Field = 'name' | 'email';
const form = {} as HTMLFormElement;

function effects() {
  const calls: unknown[][] = [];
  const fx: SchemaFormEffects<Field> = {
    setErrors: (errors: FieldErrors<Field>) => calls.push(['errors', errors]),
    setPending: (pending: boolean) => calls.push(['pending', pending]),
    focusFirstInvalid: () => calls.push(['focus']),
  };
  return { fx, calls };
}

describe('runSchemaSubmit', () => {
  it('shows validation errors and focuses, without submitting', async () => {
    const submit = vi.fn(() => Promise.resolve());
    const { fx, calls } = effects();
    await runSchemaSubmit({ schema, fields: ['name', 'email'], submit }, { name: '' }, form, fx);
    expect(submit).not.toHaveBeenCalled();
    expect(calls).toEqual([['errors', { name: 'Required', email: 'Required' }], ['focus']]);
  });

  it('lets onInvalid take over validation errors', async () => {
    const { fx, calls } = effects();
    const onInvalid = vi.fn(() => true);
    await runSchemaSubmit(
      { schema, fields: [], submit: () => Promise.resolve(), onInvalid },
      {},
      form,
      fx,
    );
    expect(onInvalid).toHaveBeenCalledWith({ name: 'Required', email: 'Required' });
    expect(calls).toEqual([]);
  });

  it('clears errors and submits the parsed data while pending', async () => {
    const submit = vi.fn(() => Promise.resolve());
    const { fx, calls } = effects();
    await runSchemaSubmit(
      { schema, fields: ['name', 'email'], submit },
      { name: 'Ada', email: 'ada@example.com' },
      form,
      fx,
    );
    expect(submit).toHaveBeenCalledWith({ name: 'Ada', email: 'ada@example.com' }, form);
    expect(calls).toEqual([
      ['errors', {}],
      ['pending', true],
      ['pending', false],
    ]);
  });

  it('places API errors by field and code, then focuses', async () => {
    const error = ApiError.fromResponse(409, {
      type: 'urn:problem:email_taken',
      title: 'Email taken',
      status: 409,
      code: 'email_taken',
      detail: 'That email is taken.',
    });
    const { fx, calls } = effects();
    await runSchemaSubmit(
      {
        schema,
        fields: ['name', 'email'],
        codeFields: { email_taken: 'email' },
        submit: () => Promise.reject(error),
      },
      { name: 'Ada', email: 'ada@example.com' },
      form,
      fx,
    );
    expect(calls).toEqual([
      ['errors', {}],
      ['pending', true],
      ['errors', { email: 'That email is taken.' }],
      ['focus'],
      ['pending', false],
    ]);
  });

  it('does not focus when told not to, and lets onError take over', async () => {
    const submit = () => Promise.reject(new Error('Offline'));
    const values = { name: 'Ada', email: 'ada@example.com' };
    const quiet = effects();
    await runSchemaSubmit(
      { schema, fields: ['name'], submit, focusApiErrors: false },
      values,
      form,
      quiet.fx,
    );
    expect(quiet.calls).toContainEqual(['errors', { '': 'Offline' }]);
    expect(quiet.calls).not.toContainEqual(['focus']);

    const handled = effects();
    const onError = vi.fn(() => true);
    await runSchemaSubmit({ schema, fields: ['name'], submit, onError }, values, form, handled.fx);
    expect(onError).toHaveBeenCalledWith(new Error('Offline'), values);
    expect(handled.calls).toEqual([
      ['errors', {}],
      ['pending', true],
      ['pending', false],
    ]);
  });
});
