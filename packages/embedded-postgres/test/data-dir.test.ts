import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/embedded-postgres.js';

describe('the default data directory', () => {
  it('is .data/postgres in the monorepo root, shared by every app', () => {
    const dir = defaultDataDir();
    expect(dir.endsWith(join('.data', 'postgres'))).toBe(true);
    expect(existsSync(join(dirname(dirname(dir)), 'pnpm-workspace.yaml'))).toBe(true);
  });
});
