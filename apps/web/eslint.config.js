import { readdirSync } from 'node:fs';
import next from '@repo/eslint-config/next';

// Developer texts (variable names, commands) stay out of the production bundle: only
// DeveloperHint (components/developer-hint.tsx) loads the developer modules, with a dynamic
// import under a development-only branch.
const developerOnly = {
  paths: [
    {
      name: '@repo/client/diagnosis',
      message: 'Developer texts: use them in a developer module, shown through DeveloperHint.',
      allowTypeImports: true,
    },
  ],
  patterns: [
    {
      group: ['**/developer/*'],
      message: 'Developer modules are loaded through DeveloperHint only.',
      allowTypeImports: true,
    },
  ],
};

// An import that leaves its folder names where it goes from src/ (`@/lib/api`), so that a file
// reads the same wherever it sits and the feature rule below sees every import of a feature.
const noParentPath = {
  regex: '^\\.\\./',
  message: 'Import from another folder through @/ (src/).',
};

// A feature (src/features/<name>/) imports no other feature: what several features render lives
// in features/shared, which imports none; a page that shows several composes them.
const features = readdirSync(new URL('src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const otherFeatures = (feature) => ({
  regex: `^@/features/(?!(${feature}|shared)(/|$))`,
  message:
    feature === 'shared'
      ? 'features/shared imports no feature: it is what features share.'
      : `features/${feature} imports no other feature: share through @/features/shared, or compose in the page (src/app).`,
});

/** The rule's options: one setting per file, so each block states all that applies to it. */
const restricted = ({ paths = [], patterns = [] }, ...more) => [
  'error',
  { paths, patterns: [...patterns, noParentPath, ...more] },
];

// `.next-e2e/` and `.next-stack/` are builds of the browser tests and `pnpm stack` (NEXT_DIST_DIR).
export default [
  { ignores: ['.next-e2e/**', '.next-stack/**'] },
  ...next,
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted({}) },
  },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/components/developer/**', 'src/lib/developer/**'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(developerOnly) },
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.ts`, `src/features/${feature}/**/*.tsx`],
    rules: {
      '@typescript-eslint/no-restricted-imports': restricted(developerOnly, otherFeatures(feature)),
    },
  })),
];
