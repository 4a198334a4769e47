import { type Diagnosis } from '@repo/client';
import { describe, expect, it } from 'vitest';
import { connectionMessage } from './connection';

const API = 'http://localhost:4000/api/v1';

describe('connectionMessage', () => {
  it('names the origin to add for a CORS block', () => {
    const diagnosis: Diagnosis = {
      finding: 'cors_blocked',
      hint: 'add http://localhost:3300 to CORS_ORIGINS of the API',
      apiUrl: API,
      pageOrigin: 'http://localhost:3300',
    };
    expect(connectionMessage(diagnosis, API)).toEqual({
      title: 'The API blocked this page (CORS)',
      hint: diagnosis.hint,
      originToAllow: 'http://localhost:3300',
    });
  });

  it('tells an unreachable API and mixed content apart', () => {
    expect(
      connectionMessage({ finding: 'unreachable', hint: 'Is the API running?', apiUrl: API }, API),
    ).toEqual({ title: 'The API cannot be reached', hint: 'Is the API running?' });
    expect(
      connectionMessage({ finding: 'mixed_content', hint: 'Serve it over https', apiUrl: API }, API)
        .title,
    ).toBe('Blocked as mixed content');
  });

  it('still says something without a diagnosis', () => {
    expect(connectionMessage(undefined, API).hint).toContain(API);
  });
});
