import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { COMMON_PROBLEMS, problemsOf } from './endpoint-problems.js';
import { endpointsOf } from './endpoint.js';
import { PROBLEMS } from './problem.js';

describe('problemsOf', () => {
  it("holds an endpoint's own problems and those of its kind", () => {
    const login = problemsOf(contract.auth.login);
    expect(login).toEqual(expect.arrayContaining([...COMMON_PROBLEMS, 'invalid_credentials']));
    expect(login).toEqual(expect.arrayContaining(['validation_failed', 'malformed_json']));
    expect(login).not.toContain('token_expired');
    expect(login).not.toContain('reauth_required');
  });

  it('adds what the access rule, the input and reauth refuse with', () => {
    expect(problemsOf(contract.users.me)).toEqual(
      expect.arrayContaining(['unauthorized', 'token_expired', 'token_invalid']),
    );
    expect(problemsOf(contract.users.me)).not.toContain('malformed_json');
    const withKey = endpointsOf(contract).find((e) => typeof e.access === 'object');
    expect(withKey, 'an endpoint that takes an API key').toBeDefined();
    expect(problemsOf(withKey!)).toEqual(
      expect.arrayContaining(['api_key_invalid', 'insufficient_scope']),
    );
    expect(problemsOf(contract.apiKeys.create)).toContain('reauth_required');
  });

  it('lists each code once, in the order of PROBLEMS', () => {
    const order = Object.keys(PROBLEMS);
    for (const endpoint of endpointsOf(contract)) {
      const codes = problemsOf(endpoint);
      expect(new Set(codes).size, endpoint.id).toBe(codes.length);
      expect(codes, endpoint.id).toEqual(
        [...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b)),
      );
    }
  });
});
