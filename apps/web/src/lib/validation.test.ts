import {
  createApiKeySchema,
  loginSchema,
  registerSchema,
  totpCodeBodySchema,
  verifyMfaSchema,
} from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { normalizeCode, validateForm } from './validation';

describe('validateForm', () => {
  it('returns the data as the contract parses it (email trimmed and lower-cased)', () => {
    expect(validateForm(loginSchema, { email: '  Ada@Example.COM ', password: 'secret' })).toEqual({
      success: true,
      data: { email: 'ada@example.com', password: 'secret' },
    });
  });

  it('gives one message per field, worded for people', () => {
    const result = validateForm(registerSchema, { name: '  ', email: 'nope', password: 'short' });
    expect(result).toEqual({
      success: false,
      errors: {
        name: 'Required',
        email: 'Enter a valid email address',
        password: 'Must be at least 10 characters',
      },
    });
  });

  it('calls a missing field required', () => {
    expect(validateForm(loginSchema, { email: 'ada@example.com' })).toEqual({
      success: false,
      errors: { password: 'Required' },
    });
  });

  it('puts unknown fields (strict schemas) on the form itself', () => {
    const result = validateForm(loginSchema, {
      email: 'ada@example.com',
      password: 'x',
      extra: 1,
    });
    expect(result.success).toBe(false);
    expect(!result.success && result.errors['']).toBeTruthy();
  });

  it('keeps the messages the contracts chose', () => {
    expect(validateForm(totpCodeBodySchema, { code: '12345' })).toEqual({
      success: false,
      errors: { code: 'Expected the 6-digit code of your authenticator app' },
    });
  });

  it('explains the codes that take a TOTP or a recovery code', () => {
    const result = validateForm(verifyMfaSchema, { mfaToken: 'x'.repeat(20), code: 'nope' });
    expect(result.success).toBe(false);
    expect(!result.success && result.errors.code).toMatch(/6-digit code .* or a recovery code/);
    expect(
      validateForm(verifyMfaSchema, {
        mfaToken: 'x'.repeat(20),
        code: 'abcdef-ghjkmn-pqrstu-vwxyz2',
      }).success,
    ).toBe(true);
  });

  it('asks for at least one scope of an API key', () => {
    expect(validateForm(createApiKeySchema, { name: 'ci', scopes: [] })).toEqual({
      success: false,
      errors: { scopes: 'Choose at least one' },
    });
  });

  it('caps lengths with the contract limits', () => {
    const result = validateForm(registerSchema, {
      name: 'x'.repeat(101),
      email: 'ada@example.com',
      password: 'long enough password',
    });
    expect(result).toEqual({
      success: false,
      errors: { name: 'Must be at most 100 characters' },
    });
  });
});

describe('normalizeCode', () => {
  it('drops the spaces authenticator apps show and people paste', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('abcdef-ghjkmn-pqrstu-vwxyz2\n')).toBe('abcdef-ghjkmn-pqrstu-vwxyz2');
  });
});
