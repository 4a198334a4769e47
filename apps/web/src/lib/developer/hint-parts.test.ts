import { describe, expect, it } from 'vitest';
import { hintParts } from './hint-parts';

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
