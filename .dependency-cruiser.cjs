// The import rules of the product code (`pnpm lint:imports`, part of `pnpm lint`):
//   - no cycles, in any app or package;
//   - the API's features import only the folders below them, in the order of API_FEATURES
//     (docs/architecture.md explains it). A folder not listed there stands at the top: it may
//     import every listed one, and nothing imports it.
// Tests, fixtures and scenarios are not product code: they may reach anywhere.

/**
 * apps/api/src's folders, from the bottom up. A folder imports only folders of the rows before
 * its own; folders of one row are independent of each other. Root files (app.module.ts, main.ts)
 * stand above them all.
 */
const API_FEATURES = [
  ['core'],
  ['access'],
  ['users', 'mail', 'health'],
  ['organisations'],
  ['security-events'],
  ['passwords'],
  ['sessions'],
  ['api-keys'],
  ['mfa'],
  ['identity'],
  ['email-code', 'oauth', 'passkeys'],
  ['reauth'],
  ['account', 'notes'],
  ['realtime'],
];

const api = (folders) => `^apps/api/src/(${folders.join('|')})/`;

/** For each row: its folders may import none of the rows above it, nor each other. */
const apiOrder = API_FEATURES.flatMap((row, index) => {
  const above = API_FEATURES.slice(index + 1).flat();
  return row.map((folder) => ({
    name: 'api-feature-order',
    comment: `${folder}/ imports only the API folders below it (.dependency-cruiser.cjs, API_FEATURES)`,
    severity: 'error',
    from: { path: api([folder]) },
    to: {
      path: `${api([...above, ...row.filter((other) => other !== folder)])}|^apps/api/src/[^/]+$`,
    },
  }));
});

const listed = api(API_FEATURES.flat());

/** The folders not in API_FEATURES: new features, at the top, each independent of the others. */
const unlisted = [
  {
    name: 'api-feature-order',
    comment: 'Nothing imports a folder missing from API_FEATURES: list it in the row it belongs to',
    severity: 'error',
    from: { path: listed },
    to: { path: '^apps/api/src/[^/]+/', pathNot: listed },
  },
  {
    name: 'api-feature-order',
    comment: 'Folders missing from API_FEATURES import only listed ones: list one to import it',
    severity: 'error',
    from: { path: '^apps/api/src/([^/]+)/', pathNot: listed },
    to: { path: '^apps/api/src/[^/]+(/|$)', pathNot: [listed, '^apps/api/src/$1/'] },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle of imports: move what both sides need to a file of its own, below both.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...apiOrder,
    ...unlisted,
  ],
  options: {
    includeOnly: '^(apps|packages)/[^/]+/src/',
    exclude: {
      path: ['\\.(test|spec|e2e)\\.tsx?$', '\\.scenarios\\.ts$', '/test-support/'],
    },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tooling/typescript/depcruise.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.js', '.mjs'],
      conditionNames: ['source', 'import', 'node', 'default'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main'],
    },
  },
};
