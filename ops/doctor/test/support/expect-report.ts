import { FINDINGS, type FindingCode } from '@repo/client/diagnosis';
import { expect } from 'vitest';
import { formatReport, type Report } from '../../src/index.js';

/** The report as the terminal shows it: every failed assertion prints it, evidence included. */
const shown = (report: Report) => `\n${formatReport(report, false)}\n`;

/** The codes of the failed and warning results. */
const findingsOf = (report: Report) =>
  report.results.filter((r) => r.code).map((r) => `${r.status}:${r.code}`);

/**
 * The report names `code` with its severity (fail for an error, warn for a warning), and an
 * error makes the whole report fail.
 */
export function expectFinding(report: Report, code: FindingCode) {
  const status = FINDINGS[code].severity === 'error' ? 'fail' : 'warn';
  const results = report.results.filter((r) => r.code === code);
  expect(
    results.length,
    `expected ${status}:${code}, got ${findingsOf(report).join(', ') || 'nothing'}${shown(report)}`,
  ).toBeGreaterThan(0);
  for (const result of results) expect(result.status, shown(report)).toBe(status);
  if (status === 'fail') expect(report.ok, shown(report)).toBe(false);
}

/** The report does not name `code`, whatever the status. */
export function expectNoFinding(report: Report, code: FindingCode) {
  expect(
    report.results.filter((r) => r.code === code).map((r) => `${r.status}:${r.code}`),
    shown(report),
  ).toEqual([]);
}

/** All green: no failure, no warning, and the only skip is TLS on plain http. */
export function expectAllGreen(report: Report) {
  expect(findingsOf(report), shown(report)).toEqual([]);
  expect(report.counts.fail, shown(report)).toBe(0);
  expect(report.counts.warn, shown(report)).toBe(0);
  expect(report.ok, shown(report)).toBe(true);
  const skipped = report.results.filter((r) => r.status === 'skip');
  expect(
    skipped.map((r) => `${r.area}/${r.name}: ${r.detail}`),
    shown(report),
  ).toEqual(['reachability/TLS: plain http']);
}
