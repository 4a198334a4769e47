import { ApiError, type Diagnosis } from '@repo/client';
import { type ProblemCode, PROBLEMS, type ProblemDetails } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { apiErrorToFieldErrors, describeError, hasErrors } from './form-errors';

const problem = (
  code: ProblemCode,
  extra: Partial<ProblemDetails> = {},
): { status: number; body: ProblemDetails } => ({
  status: PROBLEMS[code].status,
  body: {
    type: `urn:problem:${code}`,
    title: PROBLEMS[code].title,
    status: PROBLEMS[code].status,
    instance: '/api/v1/x',
    code,
    requestId: 'req-1',
    timestamp: '2026-01-01T00:00:00.000Z',
    ...extra,
  },
});

const apiError = (
  code: ProblemCode,
  extra: Partial<ProblemDetails> = {},
  retryAfterMs?: number,
) => {
  const { status, body } = problem(code, extra);
  return ApiError.fromResponse(status, body, { retryAfterMs });
};

const corsDiagnosis: Diagnosis = {
  finding: 'cors_blocked',
  apiUrl: 'http://localhost:4000/api/v1',
  pageOrigin: 'http://localhost:3300',
  reachable: true,
};

describe('apiErrorToFieldErrors', () => {
  it('puts field errors next to the fields they name', () => {
    const error = apiError('validation_failed', {
      errors: [
        { path: 'email', message: 'Invalid email address' },
        { path: 'password', message: 'Too short' },
        { path: 'password', message: 'Second message, not shown' },
      ],
    });
    expect(apiErrorToFieldErrors(error, ['email', 'password', 'name'])).toEqual({
      email: 'Invalid email address',
      password: 'Too short',
    });
  });

  it('maps nested paths to their top-level field', () => {
    const error = apiError('validation_failed', {
      errors: [{ path: 'scopes.0', message: 'Invalid option' }],
    });
    expect(apiErrorToFieldErrors(error, ['name', 'scopes'])).toEqual({ scopes: 'Invalid option' });
  });

  it('puts errors of fields the form does not have at the top', () => {
    const error = apiError('validation_failed', {
      errors: [
        { path: 'version', message: 'Required' },
        { path: '', message: 'Unrecognized key: "x"' },
      ],
    });
    expect(apiErrorToFieldErrors(error, ['title'])).toEqual({
      '': 'Validation failed: version: Required; Unrecognized key: "x"',
    });
  });

  it('puts a problem about one field next to that field', () => {
    const error = apiError('wrong_password', { detail: 'The current password is wrong.' });
    expect(
      apiErrorToFieldErrors(error, ['currentPassword', 'newPassword'], {
        wrong_password: 'currentPassword',
      }),
    ).toEqual({ currentPassword: 'The current password is wrong.' });
  });

  it('puts other problems at the top, with their detail', () => {
    const error = apiError('invalid_credentials', {
      detail: 'The email or the password is wrong.',
    });
    expect(apiErrorToFieldErrors(error, ['email', 'password'])).toEqual({
      '': 'The email or the password is wrong.',
    });
  });

  it('explains a request that got no response in a visitor’s words, without the fix', () => {
    const error = new ApiError({ kind: 'cors', diagnosis: corsDiagnosis });
    const errors = apiErrorToFieldErrors(error, ['email']);
    expect(errors['']).toBe('We can’t reach the service. Try again in a moment.');
  });
});

describe('describeError', () => {
  it('says how long to wait when rate limited', () => {
    expect(describeError(apiError('rate_limited', {}, 30_000))).toBe(
      'Too many attempts. Try again in 30 seconds.',
    );
    expect(describeError(apiError('rate_limited'))).toMatch(/wait a moment/i);
  });

  it('hides server internals but gives the request id to quote', () => {
    const message = describeError(apiError('internal_error', { detail: 'boom at line 3' }));
    expect(message).toBe('The server ran into a problem (500). Try again later. Reference: req-1.');
  });

  it('tells an unreachable API apart from a timeout and from being offline', () => {
    const unreachable = 'We can’t reach the service. Try again in a moment.';
    expect(
      describeError(
        new ApiError({
          kind: 'network',
          diagnosis: { finding: 'api_unreachable', apiUrl: 'http://localhost:4000/api/v1' },
        }),
      ),
    ).toBe(unreachable);
    expect(describeError(new ApiError({ kind: 'network' }))).toBe(unreachable);
    expect(describeError(new ApiError({ kind: 'timeout' }))).toMatch(/taking too long/);
    expect(
      describeError(
        new ApiError({ kind: 'network', diagnosis: { finding: 'offline', apiUrl: '' } }),
      ),
    ).toMatch(/You are offline/);
  });

  it('uses the message of anything else', () => {
    expect(describeError(new Error('Oops'))).toBe('Oops');
    expect(describeError('weird')).toBe('Something went wrong.');
  });
});

describe('hasErrors', () => {
  it('ignores empty entries', () => {
    expect(hasErrors({})).toBe(false);
    expect(hasErrors({ email: undefined })).toBe(false);
    expect(hasErrors({ '': 'x' })).toBe(true);
  });
});
