import { execFile, spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { NGINX_DIR } from './paths.js';
import { type LineSink, Service, waitFor200 } from './processes.js';

const run = promisify(execFile);

/** nginx's binary: NGINX_BIN, else the first one found on PATH or where packages put it. */
export function findNginx(): string {
  const candidates = process.env.NGINX_BIN
    ? [process.env.NGINX_BIN]
    : [
        'nginx',
        '/usr/sbin/nginx',
        '/usr/local/sbin/nginx',
        '/usr/local/bin/nginx',
        '/opt/homebrew/bin/nginx',
      ];
  for (const candidate of candidates) {
    if (spawnSync(candidate, ['-v']).status === 0) return candidate;
  }
  if (process.env.NGINX_BIN)
    throw new Error(`NGINX_BIN=${process.env.NGINX_BIN} does not run nginx.`);
  throw new Error(
    'nginx is not installed: install it (Debian/Ubuntu: apt-get install nginx, macOS: brew install nginx) ' +
      'or set NGINX_BIN to its path.',
  );
}

/**
 * For test configurations: whether nginx is there. Missing in CI (CI set): throws, failing the run.
 * Missing elsewhere: says so loudly, naming the tests left out, and returns false.
 */
export function nginxForTests(skipped: string[]): boolean {
  try {
    findNginx();
    return true;
  } catch (error) {
    if (process.env.CI) throw error;
    console.warn(`\n  ⚠ ${(error as Error).message}\n  ⚠ SKIPPING ${skipped.join(', ')}\n`);
    return false;
  }
}

/**
 * The template variables for this environment, derived by the same script the nginx image runs
 * (nginx/derive-env.envsh), so both renderings agree. Throws its message on a bad value.
 */
export async function deriveNginxEnv(env: Record<string, string>): Promise<Record<string, string>> {
  try {
    const { stdout } = await run(
      'sh',
      ['-c', '. "$0" && env -0', join(NGINX_DIR, 'derive-env.envsh')],
      // The environment's own NGINX_* settings (.env) apply unless `env` overrides them.
      { env: { ...process.env, ...env } },
    );
    return Object.fromEntries(
      stdout
        .split('\0')
        .filter(Boolean)
        .map((entry) => {
          const at = entry.indexOf('=');
          return [entry.slice(0, at), entry.slice(at + 1)];
        }),
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(stderr || (error as Error).message, { cause: error });
  }
}

/**
 * envsubst's rule, as the nginx image applies it (NGINX_ENVSUBST_FILTER: upper-case names only):
 * `${NAME}` and `$NAME` are replaced when NAME is defined; nginx's own lower-case `$variables`
 * are left alone. One pass: values are never expanded again.
 */
export function substitute(template: string, vars: Record<string, string>): string {
  const rendered = template.replace(
    /\$\{([A-Z][A-Z0-9_]*)\}|\$([A-Z][A-Z0-9_]*)\b/g,
    (match, braced: string | undefined, bare: string | undefined) =>
      vars[(braced ?? bare)!] ?? match,
  );
  const missing = rendered.match(/\$\{[A-Z][A-Z0-9_]*\}/);
  if (missing) throw new Error(`nginx template variable ${missing[0]} is not set`);
  return rendered;
}

export interface RenderedNginx {
  /** The prefix directory: nginx.conf, conf.d/, state/ (temp files and cache). */
  dir: string;
  confFile: string;
  vars: Record<string, string>;
}

/**
 * Renders nginx.conf and the templates into `dir`, as the image does into /etc/nginx. `patch`
 * rewrites each rendered conf.d file (its name, e.g. `40-api.conf`, and text) before it is
 * written: tests use it to start nginx with a misconfiguration.
 */
export async function renderNginx(
  env: Record<string, string>,
  dir: string,
  patch?: (file: string, text: string) => string,
): Promise<RenderedNginx> {
  const vars = await deriveNginxEnv({
    NGINX_STATE_DIR: join(dir, 'state'),
    // A file: nginx cannot open /dev/stdout when its output is a socket, as Node's pipes are.
    NGINX_ACCESS_LOG: join(dir, 'access.log'),
    ...env,
  });
  await mkdir(join(dir, 'conf.d'), { recursive: true });
  await mkdir(vars.NGINX_STATE_DIR!, { recursive: true });
  // As root, nginx's workers run as an unprivileged user that must reach the temp directories.
  await chmod(dir, 0o755);
  const confFile = join(dir, 'nginx.conf');
  await copyFile(join(NGINX_DIR, 'nginx.conf'), confFile);
  const templates = (await readdir(join(NGINX_DIR, 'templates'))).filter((f) =>
    f.endsWith('.template'),
  );
  for (const name of templates) {
    const template = await readFile(join(NGINX_DIR, 'templates', name), 'utf8');
    const file = name.replace(/\.template$/, '');
    const rendered = substitute(template, vars);
    await writeFile(join(dir, 'conf.d', file), patch ? patch(file, rendered) : rendered);
  }
  return { dir, confFile, vars };
}

const nginxArgs = (rendered: RenderedNginx) => [
  '-p',
  `${rendered.dir}/`,
  '-c',
  rendered.confFile,
  '-e',
  'stderr',
];

/** `nginx -t` on a rendered configuration: its verdict and what it printed. */
export async function testNginxConfig(
  rendered: RenderedNginx,
): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(findNginx(), ['-t', ...nginxArgs(rendered)]);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

/** Starts nginx in the foreground on a rendered configuration; resolves once it serves. */
export async function startNginx(rendered: RenderedNginx, sink?: LineSink): Promise<Service> {
  const nginx = new Service(
    'nginx',
    findNginx(),
    [...nginxArgs(rendered), '-g', 'daemon off;'],
    // $time_iso8601 is local time: UTC keeps the problem timestamps in the API's format.
    { env: { PATH: process.env.PATH, TZ: 'UTC' } },
    sink,
  ).start();
  try {
    await waitFor200(
      `http://127.0.0.1:${rendered.vars.NGINX_WEB_PORT}/nginx-health`,
      15_000,
      'nginx',
    );
  } catch (error) {
    await nginx.stop();
    throw new Error(`${(error as Error).message}\n${nginx.output.join('\n')}`, { cause: error });
  }
  return nginx;
}
