import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral } from '@stoplight/spectral-core';
import { Json } from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';

/** One finding of a linter: the rule, where, and what it says. */
export interface LintFinding {
  rule: string;
  severity: 'error' | 'warning';
  where: string;
  message: string;
}

/** Redocly's `recommended` rules, as `redocly lint` applies them. */
export async function redoclyFindings(document: object): Promise<LintFinding[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({
    source: JSON.stringify(document),
    absoluteRef: 'openapi.json',
    config,
  });
  return problems.map((p) => ({
    rule: p.ruleId,
    severity: p.severity === 'error' ? 'error' : 'warning',
    where: p.location[0]?.pointer ?? '',
    message: p.message,
  }));
}

/** Spectral's `spectral:oas` ruleset, as `spectral lint` applies it. */
export async function spectralFindings(document: object): Promise<LintFinding[]> {
  const spectral = new Spectral();
  spectral.setRuleset(oas as ConstructorParameters<typeof Spectral>[0] as never);
  const results = await spectral.run(new Document(JSON.stringify(document, null, 2), Json));
  // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
  return results
    .filter((r) => Number(r.severity) <= 1)
    .map((r) => ({
      rule: String(r.code),
      severity: Number(r.severity) === 0 ? 'error' : 'warning',
      where: r.path.join('.'),
      message: r.message,
    }));
}
