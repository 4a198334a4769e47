import { describe, expect, it } from 'vitest';
import { developerHint, DOCTOR_HINT, undiagnosedHint } from './developer-hints.js';
import { FINDINGS } from './findings.js';

const API = 'http://localhost:4000/api/v1';

describe('developerHint', () => {
  it('CORS: names the exact origin to add to CORS_ORIGINS, and the doctor', () => {
    const hint = developerHint({
      finding: 'cors_blocked',
      apiUrl: API,
      targetOrigin: 'http://localhost:4000',
      pageOrigin: 'http://localhost:3001',
      reachable: true,
    });
    expect(hint).toContain('The API at http://localhost:4000 is reachable');
    expect(hint).toContain('add http://localhost:3001 to CORS_ORIGINS');
    expect(hint).toContain(DOCTOR_HINT);
  });

  it('unreachable: the address and how to start the API; across sites, CORS too', () => {
    const sameSite = { finding: 'api_unreachable', apiUrl: API, reachable: false } as const;
    expect(developerHint(sameSite)).toBe(
      `Is the API running at ${API}? ${FINDINGS.api_unreachable.fix}`,
    );
    expect(developerHint(sameSite)).toContain('`pnpm dev`');
    expect(
      developerHint({ ...sameSite, pageOrigin: 'http://127.0.0.1:3000', crossSite: true }),
    ).toContain('check that http://127.0.0.1:3000 is in CORS_ORIGINS');
  });

  it('mixed content, offline and timeouts end with the catalogue fix', () => {
    const mixed = developerHint({ finding: 'mixed_content', apiUrl: 'http://api.example.com' });
    expect(mixed).toContain('the API URL http://api.example.com is http');
    expect(mixed.endsWith(FINDINGS.mixed_content.fix)).toBe(true);
    expect(developerHint({ finding: 'offline', apiUrl: API })).toBe(
      `The browser is offline. ${FINDINGS.offline.fix}`,
    );
    expect(developerHint({ finding: 'api_timeout', apiUrl: API })).toBe(
      `The API at ${API} did not answer in time. ${FINDINGS.api_timeout.fix}`,
    );
  });

  it('a network error: in a browser the API answered the probe; outside one, the cause', () => {
    expect(developerHint({ finding: 'network_error', apiUrl: API, reachable: true })).toContain(
      DOCTOR_HINT,
    );
    expect(
      developerHint({
        finding: 'network_error',
        apiUrl: API,
        targetOrigin: 'http://localhost:4000',
        cause: 'ECONNREFUSED',
      }),
    ).toBe(`Could not reach http://localhost:4000 (ECONNREFUSED): is the API running at ${API}?`);
  });
});

describe('undiagnosedHint', () => {
  it('names the API URL, CORS_ORIGINS and the doctor', () => {
    const hint = undiagnosedHint(API);
    expect(hint).toContain(API);
    expect(hint).toContain('CORS_ORIGINS');
    expect(hint).toContain(DOCTOR_HINT);
  });
});
