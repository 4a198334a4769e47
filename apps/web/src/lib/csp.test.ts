import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './csp';

const directives = (policy: string) =>
  new Map(
    policy.split('; ').map((d) => {
      const [name, ...values] = d.split(' ');
      return [name!, values];
    }),
  );

const base = {
  apiUrl: 'https://api.example.com/api/v1',
  wsUrl: 'wss://ws.example.com/ws',
  development: false,
};

describe('contentSecurityPolicy', () => {
  it('lets scripts run only with the nonce, or loaded by one that has it', () => {
    const policy = directives(contentSecurityPolicy({ ...base, nonce: 'abc' }));
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('connects only to itself, the API origin and the WebSocket origin', () => {
    const policy = directives(contentSecurityPolicy({ ...base, nonce: 'abc' }));
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'https://api.example.com',
      'wss://ws.example.com',
    ]);
    expect(policy.has('upgrade-insecure-requests')).toBe(true);
  });

  it('allows eval and inline styles only in development', () => {
    const dev = directives(contentSecurityPolicy({ ...base, nonce: 'abc', development: true }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('style-src')).toContain("'unsafe-inline'");
    const prod = contentSecurityPolicy({ ...base, nonce: 'abc' });
    expect(prod).not.toContain('unsafe');
  });

  it('does not upgrade requests when the API is plain http (local)', () => {
    const policy = contentSecurityPolicy({
      nonce: 'abc',
      apiUrl: 'http://localhost:4000/api/v1',
      wsUrl: 'ws://localhost:4000/ws',
      development: false,
    });
    expect(policy).not.toContain('upgrade-insecure-requests');
  });
});

describe('newNonce', () => {
  it('is 128 random bits, different every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(atob(nonce)).toHaveLength(16);
  });
});
