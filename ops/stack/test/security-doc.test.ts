/**
 * docs/security.md holds the product to OWASP ASVS requirement by requirement, and names the
 * tests that prove each one. This keeps it honest: every test it names must exist, under that
 * exact title, and a requirement it calls met must name at least one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../src/paths.js';

const DOC = 'docs/security.md';
/** A status is one of these, then its reason if any ("Not met — pending: re-authentication"). */
const STATUS = /^(Met|Not applicable|Not met)\b/;

interface Citation {
  path: string;
  title: string;
}

interface Requirement {
  id: string;
  status: string;
  citations: Citation[];
  /** Parts of the "Proved by" cell that are not `path` › title. */
  malformed: string[];
}

/** The rows of the doc's tables whose first cell is a requirement number (6.2.1). */
function requirementsOf(markdown: string): Requirement[] {
  const rows = markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined)
        .split('|')
        .map((cell) => cell.trim()),
    )
    .filter(([id]) => /^\d+\.\d+\.\d+$/.test(id ?? ''));
  return rows.map(([id = '', , , status = '', provedBy = '']) => {
    const parts = provedBy
      .split(/<br\s*\/?>/)
      .map((part) => part.trim())
      .filter(Boolean);
    const citations: Citation[] = [];
    const malformed: string[] = [];
    for (const part of parts) {
      const match = /^`([^`]+)` › (.+)$/.exec(part);
      if (match) citations.push({ path: match[1]!, title: match[2]! });
      else malformed.push(part);
    }
    return { id, status, citations, malformed };
  });
}

const isTestFunction = (node: ts.Node) => ts.isIdentifier(node) && /^(it|test)$/.test(node.text);

/**
 * Whether a call names a test: it('…'), test('…'), it.only('…') and the like, or
 * it.each(table)('…'). describe titles are not test titles.
 */
function isTestCall(callee: ts.Expression): boolean {
  if (isTestFunction(callee)) return true;
  if (ts.isPropertyAccessExpression(callee)) return isTestFunction(callee.expression);
  return (
    ts.isCallExpression(callee) &&
    ts.isPropertyAccessExpression(callee.expression) &&
    isTestFunction(callee.expression.expression) &&
    callee.expression.name.text === 'each'
  );
}

/** The literal titles of the tests a file declares (a title built from a template with values has none). */
function testTitlesOf(path: string): Set<string> {
  const source = ts.createSourceFile(
    path,
    readFileSync(join(ROOT, path), 'utf8'),
    ts.ScriptTarget.Latest,
    true,
  );
  const titles = new Set<string>();
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && isTestCall(node.expression)) {
      const [title] = node.arguments;
      if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))) {
        titles.add(title.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return titles;
}

/** Every citation of the doc that names no existing test, with why. */
function missingTests(requirements: Requirement[]): string[] {
  const titlesByFile = new Map<string, Set<string> | null>();
  const titlesOf = (path: string) => {
    if (!titlesByFile.has(path)) {
      titlesByFile.set(path, existsSync(join(ROOT, path)) ? testTitlesOf(path) : null);
    }
    return titlesByFile.get(path)!;
  };
  return requirements.flatMap(({ id, citations }) =>
    citations.flatMap(({ path, title }) => {
      const titles = titlesOf(path);
      if (!titles) return [`${id}: ${path} does not exist`];
      return titles.has(title) ? [] : [`${id}: ${path} has no test titled "${title}"`];
    }),
  );
}

describe(`the ASVS tables of ${DOC}`, () => {
  const requirements = requirementsOf(readFileSync(join(ROOT, DOC), 'utf8'));

  it('list the requirements, each once, with a known status', () => {
    // Both chapters: a table the parser no longer reads must not pass as an empty one.
    expect(requirements.filter(({ id }) => id.startsWith('6.')).length).toBeGreaterThan(30);
    expect(requirements.filter(({ id }) => id.startsWith('7.')).length).toBeGreaterThan(15);
    const ids = requirements.map(({ id }) => id);
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'listed twice',
    ).toEqual([]);
    const unknown = requirements.filter(({ status }) => !STATUS.test(status));
    expect(
      unknown.map(({ id, status }) => `${id}: ${status}`),
      'a status starts with Met, Not applicable or Not met',
    ).toEqual([]);
  });

  it('name a test for every requirement they call met', () => {
    const unproved = requirements.filter(
      ({ status, citations }) => /^Met\b/.test(status) && citations.length === 0,
    );
    expect(
      unproved.map(({ id }) => id),
      'Met, but no test named',
    ).toEqual([]);
  });

  it('write every test as `path` › title', () => {
    const malformed = requirements.flatMap(({ id, malformed }) =>
      malformed.map((part) => `${id}: ${part}`),
    );
    expect(malformed).toEqual([]);
  });

  it('name only tests that exist, under their exact titles', () => {
    expect(missingTests(requirements)).toEqual([]);
  });
});
