import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.js';

const problemsOf = (raw: Record<string, string>) => {
  try {
    parseEnv(raw);
  } catch (error) {
    if (error instanceof EnvError) return error;
  }
  throw new Error('expected an EnvError');
};

const strongSecret = 'k'.repeat(48);
const productionBase = {
  NODE_ENV: 'production',
  JWT_ACCESS_SECRET: strongSecret,
  DATA_ENCRYPTION_SECRET: 'd'.repeat(48),
  DATABASE_URL: 'postgres://app:pw@db:5432/app',
  CORS_ORIGINS: 'https://app.example.com',
  WEB_ORIGIN: 'https://app.example.com',
  SMTP_URL: 'smtp://mailer:pw@smtp.example.com:587',
};

describe('environment', () => {
  it('needs nothing in development: every variable has a working default', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      API_PORT: 4000,
      CORS_MODE: 'app',
      CORS_ORIGINS: ['http://localhost:3000'],
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('lists every bad variable in one error', () => {
    const error = problemsOf({
      API_PORT: 'eighty',
      CORS_MODE: 'both',
      CORS_ORIGINS: 'http://localhost:3000/',
      DATABASE_URL: 'mysql://x',
      ACCESS_TOKEN_TTL: 'forever',
    });
    const vars = error.problems.map((p) => p.split(':')[0]);
    expect(vars).toEqual(
      expect.arrayContaining([
        'API_PORT',
        'CORS_MODE',
        'CORS_ORIGINS.0',
        'DATABASE_URL',
        'ACCESS_TOKEN_TTL',
      ]),
    );
    expect(error.message).toContain('5 problems');
    expect(error.message).toContain('.env.example');
  });

  it.each([
    ['a trailing slash', 'http://localhost:3000/'],
    ['a path', 'https://app.example.com/app'],
    ['a wildcard', '*'],
    ['no scheme', 'app.example.com'],
    ['another scheme', 'ftp://app.example.com'],
  ])('refuses a CORS origin with %s', (_, origin) => {
    expect(problemsOf({ CORS_ORIGINS: origin }).problems[0]).toMatch(/^CORS_ORIGINS/);
  });

  it('splits and trims a comma list of origins', () => {
    expect(
      parseEnv({ CORS_ORIGINS: 'http://localhost:3000, https://app.example.com' }).CORS_ORIGINS,
    ).toEqual(['http://localhost:3000', 'https://app.example.com']);
  });

  it('accepts a complete production configuration', () => {
    expect(parseEnv(productionBase).NODE_ENV).toBe('production');
  });

  it('refuses production with dev defaults', () => {
    const error = problemsOf({ NODE_ENV: 'production' });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CORS_ORIGINS',
      'DATABASE_URL',
      'DATA_ENCRYPTION_SECRET',
      'JWT_ACCESS_SECRET',
      'SMTP_URL',
      'WEB_ORIGIN',
    ]);
  });

  it('refuses a weak JWT secret in production', () => {
    const error = problemsOf({ ...productionBase, JWT_ACCESS_SECRET: 'short-secret' });
    expect(error.problems).toEqual([
      expect.stringMatching(/^JWT_ACCESS_SECRET: must be at least 32 bytes/),
    ]);
  });

  it('refuses SameSite=None without Secure cookies, in any environment', () => {
    const error = problemsOf({ COOKIE_SAMESITE: 'none', COOKIE_SECURE: 'false' });
    expect(error.problems).toEqual([expect.stringMatching(/^COOKIE_SAMESITE/)]);
  });

  it('treats empty values as unset', () => {
    const env = parseEnv({ API_PORT: '', DATABASE_URL: '' });
    expect(env.API_PORT).toBe(4000);
    expect(env.DATABASE_URL).toBeUndefined();
  });
});

describe('sign-in providers', () => {
  it('are off by default, and on with all of their variables', () => {
    expect(parseEnv({}).GITHUB_CLIENT_ID).toBeUndefined();
    expect(parseEnv({ GITHUB_CLIENT_ID: 'id', GITHUB_CLIENT_SECRET: 'secret' })).toMatchObject({
      GITHUB_BASE_URL: 'https://github.com',
      GOOGLE_ISSUER: 'https://accounts.google.com',
    });
  });

  it('refuse a provider with only some of its variables, naming the missing ones', () => {
    expect(problemsOf({ GITHUB_CLIENT_ID: 'id' }).problems).toEqual([
      expect.stringMatching(/^GITHUB_CLIENT_SECRET: GitHub sign-in needs/),
    ]);
    expect(problemsOf({ OIDC_ISSUER: 'https://id.example.com' }).problems[0]).toMatch(
      /^OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME:/,
    );
  });

  it('need API_PUBLIC_URL and https in production', () => {
    const problems = problemsOf({
      ...productionBase,
      OIDC_ISSUER: 'http://id.example.com',
      OIDC_CLIENT_ID: 'id',
      OIDC_CLIENT_SECRET: 'secret',
      OIDC_NAME: 'Example ID',
    }).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^API_PUBLIC_URL: must be set in production/),
      'OIDC_ISSUER: must be https in production',
    ]);
  });
});
