import next from '@repo/eslint-config/next';

// `.next-e2e/` and `.next-stack/` are builds of the browser tests and `pnpm stack` (NEXT_DIST_DIR).
export default [
  { ignores: ['.next-e2e/**', '.next-stack/**'] },
  ...next,
  {
    // Developer texts (variable names, commands) stay out of the production bundle: only
    // DeveloperHint (components/developer-hint.tsx) loads the developer modules, with a dynamic
    // import under a development-only branch.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/components/developer/**', 'src/lib/developer/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@repo/client/diagnosis',
              message:
                'Developer texts: use them in a developer module, shown through DeveloperHint.',
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
        },
      ],
    },
  },
];
