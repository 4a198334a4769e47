import { contract, type ProblemCode } from '@repo/contracts';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError } from './api-error.js';
import { isProblemOf } from './problem-of.js';

const problem = (code: ProblemCode) => new ApiError({ kind: 'http', status: 400, code });

describe('isProblemOf', () => {
  it('accepts the problems the endpoint names and those of its kind, and narrows the code', () => {
    const error: unknown = problem('invalid_credentials');
    expect(isProblemOf(error, contract.auth.login)).toBe(true);
    if (isProblemOf(error, contract.auth.login)) {
      expectTypeOf(error.code)
        .extract<'invalid_credentials'>()
        .toEqualTypeOf<'invalid_credentials'>();
      expectTypeOf(error.code).extract<'rate_limited'>().toEqualTypeOf<'rate_limited'>();
      // A code the login cannot answer with is not in the narrowed type.
      expectTypeOf(error.code).extract<'version_conflict'>().toBeNever();
    }
    expect(isProblemOf(problem('validation_failed'), contract.auth.login)).toBe(true);
  });

  it('refuses a code the endpoint cannot answer with, and what is not an API error', () => {
    expect(isProblemOf(problem('version_conflict'), contract.auth.login)).toBe(false);
    expect(isProblemOf(problem('reauth_required'), contract.auth.login)).toBe(false);
    expect(isProblemOf(problem('reauth_required'), contract.apiKeys.create)).toBe(true);
    expect(isProblemOf(new Error('boom'), contract.auth.login)).toBe(false);
    expect(isProblemOf(new ApiError({ kind: 'network' }), contract.auth.login)).toBe(false);
  });
});
