/**
 * The container files (apps/api/Dockerfile, apps/web/Dockerfile, nginx/Dockerfile,
 * docker-compose.local.yml, .dockerignore) checked against the repository they package: the
 * variables they use are documented, the paths they copy and run exist, the topology matches
 * what nginx and the API expect. No Docker needed: the files are parsed (dockerfile-ast, yaml).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// ── Dockerfiles ──────────────────────────────────────────────────────────────

interface Stage {
  /** The image or earlier stage it starts from, and its `AS` name. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, in order: each FROM and the instructions up to the next one. */
function stagesOf(path: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(read(path)).getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [from = '', as, name = null] = instruction.getArguments().map((a) => a.getValue());
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : null, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const finalStage = (path: string): Stage => {
  const stage = stagesOf(path).at(-1);
  if (!stage) throw new Error(`${path} has no FROM`);
  return stage;
};

const withKeyword = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);

/** The arguments of an instruction, flags (`--from=…`) left out. */
const argsOf = (instruction: Instruction) => instruction.getArguments().map((a) => a.getValue());

/** `--name=value` flags of an instruction (COPY --from, RUN --mount, HEALTHCHECK --interval…). */
function flagOf(instruction: Instruction, name: string): string | null | undefined {
  if (!(instruction instanceof ModifiableInstruction)) return undefined;
  return instruction
    .getFlags()
    .find((f) => f.getName() === name)
    ?.getValue();
}

/** ARG and ENV values of a whole Dockerfile, by name (the last definition wins). */
function definitionsOf(path: string): Map<string, string | null> {
  const values = new Map<string, string | null>();
  const dockerfile = DockerfileParser.parse(read(path));
  for (const arg of dockerfile.getARGs()) {
    const property = arg.getProperty();
    if (property) values.set(property.getName(), property.getValue());
  }
  for (const env of dockerfile.getENVs()) {
    for (const property of env.getProperties()) values.set(property.getName(), property.getValue());
  }
  return values;
}

/** An exec-form CMD's words: CMD ["node", "dist/main.js"] → ['node', 'dist/main.js']. */
function execFormOf(instruction: Instruction): string[] {
  const words: unknown = JSON.parse(instruction.getRawArgumentsContent() ?? 'null');
  if (!Array.isArray(words) || !words.every((w) => typeof w === 'string')) {
    throw new Error(`Not an exec-form instruction: ${instruction.getRawArgumentsContent()}`);
  }
  return words;
}

const APP_IMAGES = {
  api: { dockerfile: 'apps/api/Dockerfile', dir: 'apps/api' },
  web: { dockerfile: 'apps/web/Dockerfile', dir: 'apps/web' },
} as const;
const NGINX_DOCKERFILE = 'nginx/Dockerfile';
const ALL_DOCKERFILES = [APP_IMAGES.api.dockerfile, APP_IMAGES.web.dockerfile, NGINX_DOCKERFILE];

const packageName = (dir: string) =>
  (JSON.parse(read(join(dir, 'package.json'))) as { name: string }).name;

// ── .env.example ─────────────────────────────────────────────────────────────

/** Every variable .env.example documents, set (`NAME=value`) or commented out (`# NAME=`). */
function envExample(): Map<string, string | null> {
  const variables = new Map<string, string | null>();
  for (const line of read('.env.example').split('\n')) {
    const match = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[2]) variables.set(match[2], match[1] ? null : (match[3] ?? ''));
  }
  return variables;
}

// ── The API's environment schema ─────────────────────────────────────────────

/**
 * The keys of the API's `envSchema` and its DEV_SECRET_MARKER, read from the TypeScript source
 * with the TypeScript parser. This package cannot import @repo/api (not a dependency, and its
 * config pulls in Nest), and a regex over the source would break on the first reformatting; the
 * syntax tree finds `export const envSchema = z.object({ … })` whatever the layout.
 */
function apiEnvSchema(): { keys: string[]; devSecretMarker: string } {
  const path = 'apps/api/src/core/config/env.schema.ts';
  const source = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  let keys: string[] | undefined;
  let devSecretMarker: string | undefined;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = node.initializer;
      if (node.name.text === 'DEV_SECRET_MARKER' && ts.isStringLiteral(init)) {
        devSecretMarker = init.text;
      }
      if (
        node.name.text === 'envSchema' &&
        ts.isCallExpression(init) &&
        init.expression.getText(source) === 'z.object' &&
        init.arguments[0] &&
        ts.isObjectLiteralExpression(init.arguments[0])
      ) {
        keys = init.arguments[0].properties.map((p) => {
          if (!p.name || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
            throw new Error(`Unexpected envSchema member: ${p.getText(source)}`);
          }
          return p.name.text;
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (!keys?.length || !devSecretMarker) {
    throw new Error(`${path}: no \`envSchema = z.object({…})\` or DEV_SECRET_MARKER found`);
  }
  return { keys, devSecretMarker };
}

// ── docker-compose.local.yml ─────────────────────────────────────────────────

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  restart?: string;
}
interface Compose {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const COMPOSE_FILE = 'docker-compose.local.yml';
const composeText = () => read(COMPOSE_FILE);
/** `merge: true` resolves the `<<: *api` merge keys, as Compose does. */
const compose = () => parseYaml(composeText(), { merge: true }) as Compose;

/**
 * Compose's interpolation (`${VAR}`, `${VAR:-default}`, `${VAR-default}`, nested defaults, `$$`)
 * against `env`: with an empty env, the value `docker compose up` uses without a .env file.
 * Also returns every variable name the value refers to.
 */
function interpolate(value: string, env: Record<string, string> = {}) {
  const names: string[] = [];
  const walk = (text: string): string => {
    let out = '';
    for (let i = 0; i < text.length;) {
      if (text.startsWith('$$', i)) {
        out += '$';
        i += 2;
      } else if (text.startsWith('${', i)) {
        let depth = 0;
        let end = i + 1;
        for (; end < text.length; end++) {
          if (text[end] === '{') depth++;
          else if (text[end] === '}' && --depth === 0) break;
        }
        const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([\s\S]*))?$/.exec(text.slice(i + 2, end));
        if (!match?.[1] || end >= text.length) {
          throw new Error(`Unsupported interpolation in ${JSON.stringify(value)}`);
        }
        const [, name, operator, fallback = ''] = match;
        names.push(name);
        const set = env[name];
        const useFallback = operator === ':-' ? !set : operator === '-' ? set === undefined : false;
        // The fallback is walked either way, so the names it mentions are collected too.
        const fallbackValue = walk(fallback);
        out += useFallback ? fallbackValue : (set ?? '');
        i = end + 1;
      } else if (text[i] === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
        throw new Error(`Write \${NAME}, not $NAME, in ${JSON.stringify(value)}`);
      } else {
        out += text[i];
        i += 1;
      }
    }
    return out;
  };
  return { value: walk(value), names };
}

/** Every string in a parsed YAML document. */
function stringsIn(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringsIn);
  if (node && typeof node === 'object') return Object.values(node).flatMap(stringsIn);
  return [];
}

const environmentOf = (service: ComposeService) =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v)).value]),
  );

const dependsOn = (service: ComposeService) => {
  if (Array.isArray(service.depends_on)) {
    throw new Error('depends_on must name a condition for each service (long syntax)');
  }
  return Object.entries(service.depends_on ?? {});
};

/** A service is one-shot when it must not restart: the migrate job. */
const isOneShot = (service: ComposeService) => service.restart === 'no';

/** The services built from a Dockerfile of the repository. */
const builtFrom = (service: ComposeService) => service.build?.dockerfile;

const hasHealthcheck = (service: ComposeService): boolean => {
  if (service.healthcheck?.disable) return false;
  if (service.healthcheck?.test) return true;
  const dockerfile = builtFrom(service);
  return dockerfile !== undefined && withKeyword(finalStage(dockerfile), 'HEALTHCHECK').length > 0;
};

const SERVICES = ['postgres', 'mailpit', 'migrate', 'api-1', 'api-2', 'worker', 'web', 'nginx'];
const API_REPLICAS = ['api-1', 'api-2'];

/** host:port → [host, port], for API_UPSTREAMS and WEB_UPSTREAM. */
const hostPort = (value: string) => {
  const [host = '', port = ''] = value.trim().split(':');
  return { host, port };
};

// ── Tests ────────────────────────────────────────────────────────────────────

describe('Dockerfiles', () => {
  it.each(ALL_DOCKERFILES)('%s: the final stage runs as a non-root user', (path) => {
    const users = withKeyword(finalStage(path), 'USER').map((u) => argsOf(u)[0] ?? '');
    expect(users.length, `${path}: no USER in the final stage`).toBeGreaterThan(0);
    const user = users.at(-1) ?? '';
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it.each(ALL_DOCKERFILES)('%s: the final stage has a HEALTHCHECK', (path) => {
    const checks = withKeyword(finalStage(path), 'HEALTHCHECK');
    expect(checks.length).toBe(1);
    expect(argsOf(checks[0] as Instruction)[0]).toBe('CMD');
  });

  it.each(Object.values(APP_IMAGES))(
    '$dockerfile: multi-stage on the Node of .nvmrc (slim), the final stage copies build output only',
    ({ dockerfile }) => {
      const stages = stagesOf(dockerfile);
      expect(stages.length).toBeGreaterThanOrEqual(2);
      const names = new Set(stages.map((s) => s.name));
      // Every stage starts from the Node image of .nvmrc or from an earlier stage.
      const node = `node:${read('.nvmrc').trim()}-slim`;
      for (const stage of stages) {
        if (!names.has(stage.from)) expect(stage.from).toBe(node);
      }
      const final = finalStage(dockerfile);
      expect(final.from).toBe(node);
      const copies = withKeyword(final, 'COPY');
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) {
        expect(
          names.has(flagOf(copy, 'from') ?? null),
          `${copy.toString()}: not from a stage`,
        ).toBe(true);
      }
      // No package manager or build tool in the final stage.
      for (const run of withKeyword(final, 'RUN')) {
        expect(run.toString()).not.toMatch(/\b(pnpm|npm|turbo|apt-get)\b/);
      }
      expect(definitionsOf(dockerfile).get('NODE_ENV')).toBe('production');
      expect(
        withKeyword(final, 'ENV').some((e) => e.toString().includes('NODE_ENV=production')),
      ).toBe(true);
    },
  );

  it.each(Object.values(APP_IMAGES))(
    '$dockerfile: prunes its package with turbo and installs the frozen lockfile',
    ({ dockerfile, dir }) => {
      const runs = stagesOf(dockerfile).flatMap((s) => withKeyword(s, 'RUN').map(argsOf));
      const name = packageName(dir);
      expect(
        runs.some((args) => args.join(' ').includes(`turbo prune ${name} --docker`)),
        `no \`turbo prune ${name} --docker\``,
      ).toBe(true);
      expect(runs.some((args) => args.join(' ').includes('pnpm install --frozen-lockfile'))).toBe(
        true,
      );
    },
  );

  it.each(Object.values(APP_IMAGES))(
    '$dockerfile: pnpm and turbo at the versions of package.json and pnpm-lock.yaml',
    ({ dockerfile }) => {
      const definitions = definitionsOf(dockerfile);
      const packageManager = (JSON.parse(read('package.json')) as { packageManager: string })
        .packageManager;
      expect(packageManager).toMatch(/^pnpm@/);
      expect(`pnpm@${definitions.get('PNPM_VERSION')}`).toBe(packageManager);

      const lockfile = parseYaml(read('pnpm-lock.yaml')) as {
        importers: Record<string, { devDependencies?: Record<string, { version: string }> }>;
      };
      const turbo = lockfile.importers['.']?.devDependencies?.turbo?.version;
      expect(turbo).toBeDefined();
      expect(definitions.get('TURBO_VERSION')).toBe(turbo);

      const text = read(dockerfile);
      expect(text).toContain('pnpm@${PNPM_VERSION}');
      expect(text).toContain('turbo@${TURBO_VERSION}');
    },
  );

  it('API: deploys @repo/api with production dependencies only, and runs dist/main.js', () => {
    const stages = stagesOf(APP_IMAGES.api.dockerfile);
    const deploy = stages
      .flatMap((s) => withKeyword(s, 'RUN').map(argsOf))
      .find((args) => args.join(' ').includes('pnpm deploy'));
    expect(deploy).toBeDefined();
    expect(deploy).toContain('--prod');
    expect(deploy?.join(' ')).toContain(`--filter ${packageName(APP_IMAGES.api.dir)}`);
    const target = deploy?.at(-1) ?? '';
    expect(target).toMatch(/^\//);

    // The final stage takes the deployed files, and nothing else.
    const final = finalStage(APP_IMAGES.api.dockerfile);
    for (const copy of withKeyword(final, 'COPY')) {
      expect(argsOf(copy)[0]?.startsWith(`${target}/`), copy.toString()).toBe(true);
    }
    const cmd = withKeyword(final, 'CMD')[0];
    expect(cmd).toBeDefined();
    const words = execFormOf(cmd as Instruction);
    expect(words[0]).toBe('node');
    const entry = words.at(-1) ?? '';
    expect(entry).toBe('dist/main.js');
    expect(
      existsSync(join(ROOT, 'apps/api', entry.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))),
    ).toBe(true);
  });

  it('API: the embedded PostgreSQL stays out of the deployed files (a dev dependency, loaded lazily)', () => {
    const manifest = JSON.parse(read(join(APP_IMAGES.api.dir, 'package.json'))) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const embedded = packageName('packages/embedded-postgres');
    expect(Object.keys(manifest.dependencies)).not.toContain(embedded);
    expect(Object.keys(manifest.devDependencies)).toContain(embedded);
    // Only loaded when DATABASE_URL is unset, by a dynamic import that fails with a clear message.
    const database = read(join(APP_IMAGES.api.dir, 'src/core/database/database.ts'));
    expect(database).toContain(`await import('${embedded}')`);
    expect(database).toContain('ERR_MODULE_NOT_FOUND');
  });

  it('API: the HEALTHCHECK asks the liveness route on the default API_PORT', () => {
    const check = withKeyword(finalStage(APP_IMAGES.api.dockerfile), 'HEALTHCHECK')[0];
    const text = check?.toString() ?? '';
    const apiPrefix = /API_PREFIX = '([^']+)'/.exec(
      read('packages/contracts/src/endpoint.ts'),
    )?.[1];
    expect(apiPrefix).toBeDefined();
    expect(read('packages/contracts/src/health.ts')).toContain("path: '/health'");
    expect(text).toContain(`'${apiPrefix}/health'`);
    expect(text).toContain(`process.env.API_PORT || ${envExample().get('API_PORT')}`);
  });

  it('web: the standalone server, its static assets and public/, on 0.0.0.0:3000', () => {
    expect(read('apps/web/next.config.ts')).toMatch(/output:\s*'standalone'/);
    const final = finalStage(APP_IMAGES.web.dockerfile);
    const copied = withKeyword(final, 'COPY').map((c) => argsOf(c).join(' '));
    expect(copied).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/apps\/web\/\.next\/standalone\/? \.\/?$/),
        expect.stringMatching(/\/apps\/web\/\.next\/static \.\/apps\/web\/\.next\/static$/),
        expect.stringMatching(/\/apps\/web\/public \.\/apps\/web\/public$/),
      ]),
    );
    const cmd = withKeyword(final, 'CMD')[0];
    expect(execFormOf(cmd as Instruction)).toEqual(['node', 'apps/web/server.js']);
    const env = withKeyword(final, 'ENV')
      .map((e) => e.toString())
      .join(' ');
    expect(env).toContain('HOSTNAME=0.0.0.0');
    expect(env).toContain('PORT=3000');
  });

  it('web: a build ARG for each NEXT_PUBLIC_ variable the app reads, defaulting to the proxy', () => {
    const read_ = [...read('apps/web/src/env.ts').matchAll(/process\.env\.(NEXT_PUBLIC_\w+)/g)].map(
      (m) => m[1],
    );
    expect(read_.length).toBeGreaterThan(0);
    const args = new Map(
      stagesOf(APP_IMAGES.web.dockerfile)
        .flatMap((s) => withKeyword(s, 'ARG'))
        .map((a) => {
          const [name = '', value = ''] = (argsOf(a)[0] ?? '').split(/=(.*)/s);
          return [name, value] as const;
        }),
    );
    const apiPort = envExample().get('NGINX_API_PORT');
    for (const name of read_) {
      expect(args.has(name ?? ''), `no ARG ${name}`).toBe(true);
      expect(args.get(name ?? '')).toMatch(new RegExp(`^(http|ws)://localhost:${apiPort}/`));
    }
    expect(args.get('NEXT_PUBLIC_API_URL')).toMatch(/\/api\/v1$/);
    expect(args.get('NEXT_PUBLIC_WS_URL')).toMatch(/\/ws$/);
  });

  it('nginx: copies files of the repository to where the official entrypoint uses them', () => {
    const stages = stagesOf(NGINX_DOCKERFILE);
    expect(stages.map((s) => s.from)).toEqual(['nginx:1.29-alpine']);
    const copies = withKeyword(finalStage(NGINX_DOCKERFILE), 'COPY');
    const targets = new Map<string, string>();
    for (const copy of copies) {
      const [source = '', target = ''] = argsOf(copy);
      expect(existsSync(join(ROOT, source)), `${source} does not exist`).toBe(true);
      targets.set(target, source);
    }
    expect(targets.get('/etc/nginx/nginx.conf')).toBe('nginx/nginx.conf');
    expect(targets.get('/etc/nginx/templates/')).toBe('nginx/templates/');
    const templates = readdirSync(join(ROOT, 'nginx/templates'));
    expect(templates.length).toBeGreaterThan(0);
    for (const file of templates) expect(file).toMatch(/\.conf\.template$/);

    // The entrypoint sources /docker-entrypoint.d/*.envsh only when executable.
    const envsh = copies.find((c) => argsOf(c)[0] === 'nginx/derive-env.envsh');
    expect(envsh).toBeDefined();
    expect(argsOf(envsh as Instruction)[1]).toMatch(/^\/docker-entrypoint\.d\/\d+-[\w-]+\.envsh$/);
    expect(Number.parseInt(flagOf(envsh as Instruction, 'chmod') ?? '0', 8) & 0o111).toBe(0o111);
  });

  it('nginx: the HEALTHCHECK asks a location the web site serves, on NGINX_WEB_PORT', () => {
    const check = withKeyword(finalStage(NGINX_DOCKERFILE), 'HEALTHCHECK')[0]?.toString() ?? '';
    const path = /127\.0\.0\.1:\$\{NGINX_WEB_PORT:-(\d+)\}(\/[\w-]+)/.exec(check);
    expect(path).not.toBeNull();
    expect(path?.[1]).toBe(envExample().get('NGINX_WEB_PORT'));
    expect(read('nginx/templates/50-web.conf.template')).toContain(`location = ${path?.[2]}`);
    expect(read('nginx/templates/50-web.conf.template')).toContain('listen ${NGINX_WEB_PORT}');
  });
});

describe('.env.example documents what the images and the API read', () => {
  it('every key of the API env schema', () => {
    const documented = envExample();
    const missing = apiEnvSchema().keys.filter((key) => !documented.has(key));
    expect(missing).toEqual([]);
  });

  it('every ARG and ENV of the Dockerfiles that configures an app (not the build tools)', () => {
    const tooling =
      /^(PNPM_VERSION|TURBO_VERSION|NODE_EXTRA_CA_CERTS|\w+_TELEMETRY_DISABLED|DO_NOT_TRACK|NGINX_ENVSUBST_FILTER)$/;
    // Read by Next's standalone server, not by the app's own code: fixed in the image.
    const nextServer = new Set(['HOSTNAME', 'PORT']);
    const documented = envExample();
    const names = ALL_DOCKERFILES.flatMap((path) => [...definitionsOf(path).keys()]);
    expect(names.length).toBeGreaterThan(0);
    const missing = names.filter(
      (n) => !tooling.test(n) && !nextServer.has(n) && !documented.has(n),
    );
    expect(missing).toEqual([]);
  });
});

describe('docker-compose.local.yml', () => {
  it('has the services of the topology', () => {
    expect(Object.keys(compose().services).sort()).toEqual([...SERVICES].sort());
  });

  it('every ${VAR} it uses is documented in .env.example', () => {
    const names = new Set(stringsIn(parseYaml(composeText())).flatMap((s) => interpolate(s).names));
    expect(names.size).toBeGreaterThan(0);
    const documented = envExample();
    expect([...names].filter((n) => !documented.has(n))).toEqual([]);
  });

  it('nginx publishes the web and API origins on 8080 and 8081, the ports it listens on', () => {
    const nginx = compose().services.nginx;
    const env = environmentOf(nginx ?? {});
    const published = (nginx?.ports ?? []).map((p) => {
      const [host, container] = interpolate(p).value.split(':').slice(-2);
      return { host, container };
    });
    expect(published).toEqual(
      expect.arrayContaining([
        { host: '8080', container: '8080' },
        { host: '8081', container: '8081' },
      ]),
    );
    expect(env.NGINX_WEB_PORT).toBe('8080');
    expect(env.NGINX_API_PORT).toBe('8081');
    // The same numbers as the defaults nginx itself and .env.example document.
    expect(envExample().get('NGINX_WEB_PORT')).toBe('8080');
    expect(envExample().get('NGINX_API_PORT')).toBe('8081');
  });

  it('publishes every port on 127.0.0.1 only, never on every interface', () => {
    const ports = Object.values(compose().services).flatMap((s) => s.ports ?? []);
    expect(ports.length).toBeGreaterThan(0);
    expect(ports.filter((p) => !p.startsWith('127.0.0.1:'))).toEqual([]);
  });

  it('every long-running service has a healthcheck (its own or its image’s)', () => {
    const services = Object.entries(compose().services).filter(([, s]) => !isOneShot(s));
    expect(services.length).toBeGreaterThan(0);
    const without = services.filter(([, s]) => !hasHealthcheck(s)).map(([name]) => name);
    expect(without).toEqual([]);
  });

  it('its healthchecks are commands made of strings; the API’s asks its liveness route', () => {
    const { services } = compose();
    const checks = Object.entries(services).filter(([, s]) => s.healthcheck?.test);
    expect(checks.length).toBeGreaterThan(0);
    for (const [name, service] of checks) {
      // An unquoted `a ? b : c` in YAML is a mapping, not a string: the check would never run.
      const test: unknown = service.healthcheck?.test;
      expect(Array.isArray(test) && test.every((w) => typeof w === 'string'), name).toBe(true);
      expect((test as string[])[0]).toMatch(/^CMD(-SHELL)?$/);
    }
    for (const name of API_REPLICAS) {
      const replica = services[name];
      const port = environmentOf(replica ?? {}).API_PORT;
      const test = replica?.healthcheck?.test;
      expect(Array.isArray(test) ? test.join(' ') : '').toContain(
        `'http://127.0.0.1:${port}/api/v1/health'`,
      );
    }
  });

  it('depends_on waits for health or completion, never for a mere start', () => {
    const { services } = compose();
    let edges = 0;
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of dependsOn(service)) {
        edges++;
        const target = services[dependency];
        expect(target, `${name} depends on unknown ${dependency}`).toBeDefined();
        if (isOneShot(target as ComposeService)) {
          expect(condition, `${name} → ${dependency}`).toBe('service_completed_successfully');
        } else {
          expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
          expect(hasHealthcheck(target as ComposeService)).toBe(true);
        }
      }
    }
    expect(edges).toBeGreaterThan(0);
  });

  it('the API replicas: one image with the migrate job, CORS at the proxy, behind it', () => {
    const { services } = compose();
    const migrate = services.migrate;
    for (const name of API_REPLICAS) {
      const replica = services[name];
      expect(replica?.build?.dockerfile).toBe(APP_IMAGES.api.dockerfile);
      expect(replica?.image).toBe(migrate?.image);
      const env = environmentOf(replica ?? {});
      expect(env.CORS_MODE).toBe('proxy');
      expect(env.TRUST_PROXY).toMatch(/^(true|1|yes)$/);
      expect(env.NODE_ENV).toBe('production');
      expect(env.REALTIME_BUS).toBe('postgres');
      expect(Object.keys(replica?.depends_on ?? {})).toContain('migrate');
    }
  });

  it('API_UPSTREAMS names exactly the API replicas and their port; WEB_UPSTREAM the web server', () => {
    const { services } = compose();
    const env = environmentOf(services.nginx ?? {});
    const upstreams = (env.API_UPSTREAMS ?? '').split(',').map(hostPort);
    const replicas = Object.entries(services)
      // The API image's services that run its own command (the worker and the migrate job do not).
      .filter(([, s]) => builtFrom(s) === APP_IMAGES.api.dockerfile && !s.command)
      .map(([name, s]) => ({ host: name, port: environmentOf(s).API_PORT }));
    expect(replicas.map((r) => r.host).sort()).toEqual(API_REPLICAS);
    expect(upstreams).toEqual(replicas);

    const web = hostPort(env.WEB_UPSTREAM ?? '');
    expect(web.host).toBe('web');
    expect(services.web?.build?.dockerfile).toBe(APP_IMAGES.web.dockerfile);
    expect(web.port).toBe(definitionsOf(APP_IMAGES.web.dockerfile).get('PORT'));
  });

  it('the API gets only variables of its env schema', () => {
    const { keys } = apiEnvSchema();
    const { services } = compose();
    for (const name of ['migrate', 'worker', ...API_REPLICAS]) {
      const given = Object.keys(services[name]?.environment ?? {});
      expect(given.length).toBeGreaterThan(0);
      expect(
        given.filter((k) => !keys.includes(k)),
        name,
      ).toEqual([]);
    }
  });

  it('nginx gets only variables its entrypoint script reads, and the same origins as the API', () => {
    const { services } = compose();
    const script = read('nginx/derive-env.envsh');
    const given = Object.keys(services.nginx?.environment ?? {});
    expect(given.length).toBeGreaterThan(0);
    expect(given.filter((k) => !script.includes(`\${${k}`))).toEqual([]);
    const nginx = environmentOf(services.nginx ?? {});
    const api = environmentOf(services['api-1'] ?? {});
    expect(nginx.CORS_ORIGINS).toBe(api.CORS_ORIGINS);
    expect(nginx.API_BODY_LIMIT).toBe(api.API_BODY_LIMIT);
    // The web app is served by nginx on NGINX_WEB_PORT: that is the origin the browser sends.
    expect(api.CORS_ORIGINS).toBe(`http://localhost:${nginx.NGINX_WEB_PORT}`);
    expect(api.WEB_ORIGIN).toBe(`http://localhost:${nginx.NGINX_WEB_PORT}`);
  });

  it('the web build args point the browser at the API through nginx', () => {
    const { services } = compose();
    const nginx = environmentOf(services.nginx ?? {});
    const args = Object.fromEntries(
      Object.entries(services.web?.build?.args ?? {}).map(([k, v]) => [k, interpolate(v).value]),
    );
    expect(args).toEqual({
      NEXT_PUBLIC_API_URL: `http://localhost:${nginx.NGINX_API_PORT}/api/v1`,
      NEXT_PUBLIC_WS_URL: `ws://localhost:${nginx.NGINX_API_PORT}/ws`,
    });
  });

  it('its local secrets are long enough for production and not the dev defaults', () => {
    const { devSecretMarker } = apiEnvSchema();
    const env = environmentOf(compose().services['api-1'] ?? {});
    for (const name of ['JWT_ACCESS_SECRET', 'DATA_ENCRYPTION_SECRET']) {
      const secret = env[name] ?? '';
      expect(Buffer.byteLength(secret), name).toBeGreaterThanOrEqual(32);
      expect(secret).not.toContain(devSecretMarker);
    }
  });

  it('the API reaches PostgreSQL and Mailpit by their service names', () => {
    const { services } = compose();
    const api = environmentOf(services['api-1'] ?? {});
    const postgres = environmentOf(services.postgres ?? {});
    const database = new URL(api.DATABASE_URL ?? '');
    expect(database.hostname).toBe('postgres');
    expect(database.username).toBe(postgres.POSTGRES_USER);
    expect(database.password).toBe(postgres.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);
    const smtp = new URL(api.SMTP_URL ?? '');
    expect(`${smtp.hostname}:${smtp.port}`).toBe('mailpit:1025');
    expect(services.mailpit).toBeDefined();
  });

  it('PostgreSQL 18 keeps its data in a named volume at /var/lib/postgresql', () => {
    const { services, volumes } = compose();
    const mounts = (services.postgres?.volumes ?? []).map((v) => v.split(':'));
    const data = mounts.find(([, target]) => target === '/var/lib/postgresql');
    expect(data).toBeDefined();
    expect(Object.keys(volumes ?? {})).toContain(data?.[0]);
    expect(services.postgres?.image).toMatch(/^postgres:18[-.]/);
  });

  it('migrate runs the migration CLI of the API build once, after PostgreSQL is healthy', () => {
    const { services } = compose();
    const migrate = services.migrate;
    expect(migrate && isOneShot(migrate)).toBe(true);
    expect(migrate?.build?.dockerfile).toBe(APP_IMAGES.api.dockerfile);
    const [node, script = '', command] = migrate?.command ?? [];
    expect(node).toBe('node');
    expect(command).toBe('migrate');
    // dist/… is tsc's output for src/… (tsconfig.build.json: rootDir src, outDir dist).
    const build = JSON.parse(read('apps/api/tsconfig.build.json')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(script.startsWith(`${build.compilerOptions.outDir}/`)).toBe(true);
    const source = script
      .replace(build.compilerOptions.outDir, build.compilerOptions.rootDir)
      .replace(/\.js$/, '.ts');
    expect(existsSync(join(ROOT, 'apps/api', source)), source).toBe(true);
    expect(read(join('apps/api', source))).toContain("command === 'migrate'");
    // And the image runs from the directory that holds dist/.
    const workdir = withKeyword(finalStage(APP_IMAGES.api.dockerfile), 'WORKDIR').map(argsOf);
    const copiesDist = withKeyword(finalStage(APP_IMAGES.api.dockerfile), 'COPY').some(
      (c) => argsOf(c)[1] === `./${build.compilerOptions.outDir}`,
    );
    expect(workdir.length).toBe(1);
    expect(copiesDist).toBe(true);
    expect(dependsOn(migrate ?? {})).toEqual([['postgres', { condition: 'service_healthy' }]]);
  });
});

describe('.dockerignore', () => {
  const patterns = () =>
    read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));

  it('keeps dependencies, build output, local data, git and secrets out of the context', () => {
    expect(patterns()).toEqual(
      expect.arrayContaining([
        '**/node_modules',
        '**/dist',
        '**/.next',
        '**/.turbo',
        '.data',
        '.git',
        '**/.env',
        '**/.env.*',
        '!.env.example',
      ]),
    );
  });

  it('keeps what the Dockerfiles copy', () => {
    // The nginx image copies single paths; the app images copy the whole (pruned) repository.
    const sources = withKeyword(finalStage(NGINX_DOCKERFILE), 'COPY').map(
      (c) => argsOf(c)[0] ?? '',
    );
    const ignored = patterns().filter((p) => !p.startsWith('!'));
    for (const source of [...sources, 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'turbo.json']) {
      const top = source.split('/')[0] ?? '';
      expect(ignored, source).not.toContain(top);
      expect(ignored, source).not.toContain(source.replace(/\/$/, ''));
    }
  });
});
