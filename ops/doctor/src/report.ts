import { styleText } from 'node:util';
import { type Report } from './doctor.js';
import { type Status } from './model.js';

const MARK: Record<Status, string> = { pass: '✓', warn: '!', fail: '✗', skip: '–' };
const COLOR = { pass: 'green', warn: 'yellow', fail: 'red', skip: 'gray' } as const;

/** The report as a terminal table: one line per check, then the evidence and fix of each finding. */
export function formatReport(report: Report, color: boolean): string {
  const paint = (style: Parameters<typeof styleText>[0], text: string) =>
    color ? styleText(style, text) : text;
  const lines: string[] = [
    paint('bold', `doctor — ${report.setup.apiUrl}  (web: ${report.setup.origins.join(', ')})`),
  ];
  let area = '';
  for (const r of report.results) {
    if (r.area !== area) {
      area = r.area;
      lines.push('', paint('bold', area.toUpperCase()));
    }
    const timing = r.ms !== undefined ? paint('gray', ` ${r.ms} ms`) : '';
    const code = r.code ? paint(COLOR[r.status], ` [${r.code}]`) : '';
    lines.push(
      `  ${paint(COLOR[r.status], MARK[r.status])} ${r.name.padEnd(38)} ${r.detail}${timing}${code}`,
    );
    if (r.status === 'fail' || r.status === 'warn') {
      for (const e of r.evidence ?? []) {
        lines.push(paint('gray', `      → ${e.request}`));
        if (e.status !== undefined) lines.push(paint('gray', `      ← ${e.status}`));
        for (const [name, value] of e.headers ?? [])
          lines.push(paint('gray', `        ${name}: ${value}`));
        if (e.note) lines.push(paint('gray', `        ${e.note}`));
      }
      if (r.fix) lines.push(`      ${paint('bold', 'fix:')} ${r.fix}`);
    }
  }
  const { pass, warn, fail, skip } = report.counts;
  lines.push(
    '',
    paint(
      fail ? 'red' : warn ? 'yellow' : 'green',
      `${pass} passed, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed${skip ? `, ${skip} skipped` : ''}`,
    ),
    ...(fail || warn ? ['Every code is explained in docs/troubleshooting.md.'] : []),
  );
  return lines.join('\n');
}
