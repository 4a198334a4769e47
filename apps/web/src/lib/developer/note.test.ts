import { DOCTOR_HINT, FINDINGS } from '@repo/client/diagnosis';
import { describe, expect, it } from 'vitest';
import { developerNote } from './note';

const API = 'http://localhost:4000/api/v1';

describe('developerNote', () => {
  it('names the origin to add for a CORS block, under the finding title', () => {
    expect(
      developerNote({
        apiUrl: API,
        diagnosis: {
          finding: 'cors_blocked',
          apiUrl: API,
          pageOrigin: 'http://localhost:3300',
          reachable: true,
        },
      }),
    ).toMatchObject({
      finding: 'cors_blocked',
      title: FINDINGS.cors_blocked.title,
      hint: expect.stringContaining('add http://localhost:3300 to CORS_ORIGINS') as string,
      originToAllow: 'http://localhost:3300',
    });
  });

  it('tells an unreachable API and mixed content apart, with no origin to add', () => {
    const unreachable = developerNote({
      apiUrl: API,
      diagnosis: { finding: 'api_unreachable', apiUrl: API, reachable: false },
    });
    expect(unreachable.title).toBe(FINDINGS.api_unreachable.title);
    expect(unreachable.hint).toContain('`pnpm dev`');
    expect(unreachable.originToAllow).toBeUndefined();
    expect(
      developerNote({ apiUrl: API, diagnosis: { finding: 'mixed_content', apiUrl: API } }).title,
    ).toBe(FINDINGS.mixed_content.title);
  });

  it('still says something without a diagnosis, and points at the doctor', () => {
    const note = developerNote({ apiUrl: API, diagnosis: undefined });
    expect(note.title).toBe(FINDINGS.network_error.title);
    expect(note.hint).toContain(API);
    expect(note.hint).toContain(DOCTOR_HINT);
  });

  it('a finding told without a diagnosis: its catalogue title and fix', () => {
    expect(developerNote({ finding: 'api_wrong_base_path' })).toEqual({
      finding: 'api_wrong_base_path',
      title: FINDINGS.api_wrong_base_path.title,
      hint: FINDINGS.api_wrong_base_path.fix,
    });
  });
});
