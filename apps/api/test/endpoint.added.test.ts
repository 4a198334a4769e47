import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiClient } from '@repo/client';
import { contract } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  BookmarksFixtureModule,
  bookmarksContract,
  bookmarksScenarios,
} from './fixtures/bookmarks.fixture.js';
import { casesOf, featureScenarios, missingScenarios } from './support/scenarios.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { expectReply, World } from './support/world.js';

/**
 * Adding an endpoint: a contract entry, a handler bound to it and its scenarios (the bookmarks
 * fixture) are all it takes for it to be served with its access rule and validation, listed in
 * the OpenAPI document, callable from the typed client and walked by the suites.
 */
describe('an endpoint added with a contract entry, a handler and its scenarios', () => {
  let t: TestApp;
  let world: World;
  beforeAll(async () => {
    t = await startTestApp({ imports: [BookmarksFixtureModule] });
    world = new World(t);
  });
  afterAll(() => t.close());

  it('is served, with its access rule and its input checked', async () => {
    const { add, list } = bookmarksContract.bookmarks;
    const user = await world.user();
    const added = await world.expect('add', add, 'success', {
      as: user,
      body: { url: 'https://example.com/a' },
    });
    expect(added.json()).toMatchObject({ url: 'https://example.com/a' });
    await world.expect('no token', add, [401, 'unauthorized'], { body: { url: 'https://a.b/' } });
    const invalid = await world.expect('not a URL', add, [400, 'validation_failed'], {
      as: user,
      body: { url: 'nope' },
    });
    expect(JSON.stringify(invalid.json())).toContain('"path":"url"');
    const key = await world.apiKey(user, ['read']);
    const listed = await world.expect('list', list, 'success', { as: { apiKey: key.secret } });
    expect(listed.json()).toEqual([added.json()]);
  });

  it('is in the OpenAPI document, with its security and its body', async () => {
    const doc = (await (await fetch(`${t.origin}/api/docs/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.paths['/api/v1/bookmarks']?.post).toMatchObject({
      operationId: 'bookmarks.add',
      tags: ['bookmarks'],
      security: [{ bearer: [] }],
      requestBody: {
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/AddBookmark' } },
        },
      },
    });
    const list = doc.paths['/api/v1/bookmarks']?.get;
    expect(list).toMatchObject({
      operationId: 'bookmarks.list',
      security: [{ bearer: [] }, { apiKey: [] }],
    });
    expect(list?.description).toContain('the `read` scope');
  });

  it('has typed calls in the client, derived from its contract', async () => {
    const api = new ApiClient({
      baseUrl: t.api,
      contract: { ...contract, ...bookmarksContract },
      mode: 'native',
    });
    const { email, password } = await world.user();
    await api.auth.login({ body: { email, password } });
    const added = await api.bookmarks.add({ body: { url: 'https://example.com/b' } });
    expectTypeOf(added).toEqualTypeOf<{ url: string; addedAt: string }>();
    expect(await api.bookmarks.list()).toEqual([added]);
    api.dispose();
  });

  it('is walked by the suites through its scenarios, and missed without them', async () => {
    const all = [...(await featureScenarios()), bookmarksScenarios];
    expect(missingScenarios(t.endpoints, all)).toEqual([]);
    expect(missingScenarios(t.endpoints, await featureScenarios())).toEqual([
      'bookmarks.add: no success',
      'bookmarks.add: no refusal',
      'bookmarks.list: no success',
      'bookmarks.list: no refusal',
    ]);
    const cases = casesOf([bookmarksScenarios]);
    expect(cases).toHaveLength(5);
    for (const { endpoint, case: c } of cases) {
      const request = await c.request(world);
      expectReply(c.label, endpoint, c.expect, await world.send(endpoint, request));
    }
  });

  it('is named by the feature indexes once its three places exist', () => {
    // A copy of the repository's layout with two features, bookmarks and tags; pnpm generate there.
    const repo = join(import.meta.dirname, '../../..');
    const copy = mkdtempSync(join(tmpdir(), 'feature-indexes-'));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      writeFileSync(join(copy, path), text);
    };
    const read = (path: string) => readFileSync(join(copy, path), 'utf8');
    try {
      cpSync(join(repo, '.prettierrc.json'), join(copy, '.prettierrc.json'));
      for (const [feature, Feature, migration] of [
        ['bookmarks', 'Bookmarks', '1999000000000-add-bookmarks'],
        ['tags', 'Tags', '1998000000000-add-tags'],
      ] as const) {
        write(
          `packages/contracts/src/${feature}.ts`,
          `export const ${feature}Contract = defineContract({ ${feature}: {} }, { ${feature}: '' });\n`,
        );
        write(`apps/api/src/${feature}/${feature}.module.ts`, `export class ${Feature}Module {}\n`);
        write(
          `apps/api/src/${feature}/migrations/${migration}.ts`,
          `export class Add${Feature}${migration.slice(0, 13)} {}\n`,
        );
        write(`apps/web/src/features/${feature}/${feature}.tsx`, 'export {};\n');
      }

      execFileSync(process.execPath, [join(repo, 'scripts/feature-indexes.ts'), '--root', copy]);

      const contracts = read('packages/contracts/src/features.gen.ts');
      expect(contracts).toMatch(/import \{ bookmarksContract \} from '\.\/bookmarks\.js'/);
      expect(contracts).toMatch(/\.\.\.bookmarksContract,\s+\.\.\.tagsContract/);
      expect(read('apps/api/src/features.gen.ts')).toMatch(
        /featureModules: Type\[\] = \[BookmarksModule, TagsModule\]/,
      );
      const migrations = read('apps/api/src/migrations.gen.ts');
      expect(migrations).toContain("from './bookmarks/migrations/1999000000000-add-bookmarks.js'");
      // Oldest first, whichever folder holds them.
      expect(migrations).toMatch(/\[AddTags1998000000000, AddBookmarks1999000000000\]/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
