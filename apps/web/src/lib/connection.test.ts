import { type Diagnosis } from '@repo/client';
import { FINDINGS } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { connectionMessage, hintParts } from './connection';

const API = 'http://localhost:4000/api/v1';

describe('connectionMessage', () => {
  it('names the origin to add for a CORS block, under the shared title', () => {
    const diagnosis: Diagnosis = {
      finding: 'cors_blocked',
      hint: 'add http://localhost:3300 to CORS_ORIGINS of the API',
      apiUrl: API,
      pageOrigin: 'http://localhost:3300',
    };
    expect(connectionMessage(diagnosis, API)).toEqual({
      title: 'The API answers, but the browser blocks the response (CORS)',
      hint: diagnosis.hint,
      originToAllow: 'http://localhost:3300',
    });
  });

  it('tells an unreachable API and mixed content apart', () => {
    expect(
      connectionMessage(
        { finding: 'api_unreachable', hint: 'Is the API running?', apiUrl: API },
        API,
      ),
    ).toEqual({ title: FINDINGS.api_unreachable.title, hint: 'Is the API running?' });
    expect(
      connectionMessage({ finding: 'mixed_content', hint: 'Serve it over https', apiUrl: API }, API)
        .title,
    ).toBe(FINDINGS.mixed_content.title);
  });

  it('still says something without a diagnosis, and points at the doctor', () => {
    const message = connectionMessage(undefined, API);
    expect(message.title).toBe(FINDINGS.network_error.title);
    expect(message.hint).toContain(API);
    expect(message.hint).toContain('pnpm run doctor');
  });
});

describe('hintParts', () => {
  it('shows what is between backticks as code', () => {
    expect(hintParts('Start it (`pnpm dev`). Run `pnpm run doctor` for the full check.')).toEqual([
      { text: 'Start it (', code: false },
      { text: 'pnpm dev', code: true },
      { text: '). Run ', code: false },
      { text: 'pnpm run doctor', code: true },
      { text: ' for the full check.', code: false },
    ]);
  });

  it('leaves a hint with an unpaired backtick as it is', () => {
    expect(hintParts('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
  });
});
