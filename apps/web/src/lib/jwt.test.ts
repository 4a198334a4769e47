import { describe, expect, it } from 'vitest';
import { sessionIdOf } from './jwt';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const token = (claims: object) => `${base64url({ alg: 'HS256' })}.${base64url(claims)}.signature`;

describe('sessionIdOf', () => {
  it('reads the sid claim', () => {
    const sid = '3f8e0a52-54b3-4c1f-9f2f-0b0f6c1e2d3a';
    expect(sessionIdOf(token({ sub: 'u', sid, name: 'Zoë ✓' }))).toBe(sid);
  });

  it('gives null for anything else', () => {
    expect(sessionIdOf(null)).toBeNull();
    expect(sessionIdOf('')).toBeNull();
    expect(sessionIdOf('not-a-jwt')).toBeNull();
    expect(sessionIdOf('a.%%%.c')).toBeNull();
    expect(sessionIdOf(token({ sub: 'u' }))).toBeNull();
    expect(sessionIdOf(token({ sid: 42 }))).toBeNull();
  });
});
