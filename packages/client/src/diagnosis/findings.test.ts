import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS } from './findings.js';

const DOC = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'troubleshooting.md');

describe('docs/troubleshooting.md', () => {
  const headings = [...readFileSync(DOC, 'utf8').matchAll(/^### (.+)$/gm)].map((m) => m[1]!.trim());

  it('has a `### code` section for every finding code', () => {
    const missing = Object.keys(FINDINGS).filter((code) => !headings.includes(code));
    expect(missing).toEqual([]);
  });

  it('has no `###` section that is not a finding code, and none twice', () => {
    expect(headings.filter((heading) => !Object.hasOwn(FINDINGS, heading))).toEqual([]);
    expect(headings.filter((heading, i) => headings.indexOf(heading) !== i)).toEqual([]);
  });
});
