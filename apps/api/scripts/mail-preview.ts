// Renders every email template with sample data into a folder, to open in a browser:
//   pnpm --filter @repo/api mail:preview [folder]     (default: apps/api/.mail-previews)
// Each template gives <name>.html and <name>.txt, and index.html links them all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mailPreviews } from '../src/mail/templates/previews.js';

const args = process.argv.slice(2);
const usage =
  'Usage: mail:preview [folder]   renders every email template (default: .mail-previews)\n';
if (args.includes('--help')) {
  process.stdout.write(usage);
  process.exit(0);
}
if (args.length > 1 || args[0]?.startsWith('-')) {
  process.stderr.write(usage);
  process.exit(2);
}
const folder = resolve(args[0] ?? join(import.meta.dirname, '..', '.mail-previews'));
mkdirSync(folder, { recursive: true });
const previews = await mailPreviews('http://localhost:3000');
const links: string[] = [];
for (const [name, mail] of previews) {
  writeFileSync(join(folder, `${name}.html`), mail.html ?? '');
  writeFileSync(join(folder, `${name}.txt`), mail.text);
  links.push(
    `<li><a href="${name}.html">${name}</a> (<a href="${name}.txt">text</a>): ${mail.subject}</li>`,
  );
}
writeFileSync(
  join(folder, 'index.html'),
  `<!doctype html><meta charset="utf-8"><title>Email previews</title><ul>${links.join('')}</ul>`,
);
process.stdout.write(`${previews.size} templates rendered to ${folder}/index.html\n`);
