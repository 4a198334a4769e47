import { describe, expect, it } from 'vitest';
import { ApiError, codeForStatus } from './api-error.js';
import { problem } from '../test-support/fake-api.js';

describe('ApiError', () => {
  it('reads a validation problem: code, field errors, request id', () => {
    const body = {
      ...(problem('validation_failed', 'Check the fields.').data as object),
      errors: [
        { path: 'email', message: 'Invalid email' },
        { path: 'email', message: 'Too long' },
        { path: 'password', message: 'Too short' },
      ],
    };
    const error = ApiError.fromResponse(400, body, {
      method: 'POST',
      url: 'http://x/auth/register',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'ApiError',
      kind: 'http',
      status: 400,
      code: 'validation_failed',
      title: 'Validation failed',
      detail: 'Check the fields.',
      requestId: 'req-1',
    });
    expect(error.problem?.code).toBe('validation_failed');
    expect(error.fieldErrors).toEqual({ email: 'Invalid email', password: 'Too short' });
    expect(error.isValidationError()).toBe(true);
    expect(error.isAuthError() || error.isServerError() || error.isNetworkError()).toBe(false);
    expect(error.message).toBe(
      '400 Validation failed: Check the fields. (POST http://x/auth/register)',
    );
  });

  it('classifies by status', () => {
    const of = (status: number) =>
      ApiError.fromResponse(status, problem(codeForStatus(status)).data);
    expect(of(401).isAuthError()).toBe(true);
    expect(of(403).isForbidden()).toBe(true);
    expect(of(404).isNotFound()).toBe(true);
    expect(of(409).isConflict()).toBe(true);
    expect(of(429).isRateLimited()).toBe(true);
    expect(of(500).isServerError()).toBe(true);
    expect(of(503).isServerError()).toBe(true);
  });

  it('keeps retryAfterMs', () => {
    const error = ApiError.fromResponse(429, problem('rate_limited').data, { retryAfterMs: 3_000 });
    expect(error.retryAfterMs).toBe(3_000);
    expect(error.code).toBe('rate_limited');
  });

  it('gives a body that is not a problem (a proxy page) the generic code of its status', () => {
    const error = ApiError.fromResponse(502, '<html>Bad Gateway</html>', {
      requestId: 'from-header',
    });
    expect(error).toMatchObject({ status: 502, code: 'service_unavailable', problem: undefined });
    expect(error.requestId).toBe('from-header');
    expect(ApiError.fromResponse(418, null).code).toBe('bad_request');
    expect(ApiError.fromResponse(507, null).code).toBe('internal_error');
  });

  it('describes failures with no response by their finding code', () => {
    const error = new ApiError({
      kind: 'cors',
      method: 'GET',
      url: 'http://localhost:4000/api/v1/users/me',
      diagnosis: {
        finding: 'cors_blocked',
        apiUrl: 'http://localhost:4000/api/v1',
        pageOrigin: 'http://localhost:3001',
      },
    });
    expect(error.status).toBe(0);
    expect(error.code).toBeUndefined();
    expect(error.isNetworkError()).toBe(true);
    expect(error.message).toBe(
      'Blocked by CORS (GET http://localhost:4000/api/v1/users/me) — cors_blocked',
    );
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      kind: 'cors',
      diagnosis: { finding: 'cors_blocked' },
    });
  });
});
