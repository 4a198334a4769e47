import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveNginxEnv, renderNginx, substitute, testNginxConfig } from '../src/index.js';

/**
 * The proxy's configuration before anything runs: what nginx/derive-env.envsh accepts and
 * refuses, how the templates are rendered, and that nginx itself accepts the result (`nginx -t`).
 */

let dir: string;
let renders = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nginx-config-'));
  // deriveNginxEnv starts from this process's environment: the defaults below are the script's,
  // not whatever the shell running the tests exports.
  for (const name of Object.keys(process.env))
    if (/^(NGINX_|CORS_ORIGINS$|API_UPSTREAMS$|WEB_UPSTREAM$|API_BODY_LIMIT$)/.test(name))
      delete process.env[name];
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What startStack hands to the templates (two local replicas, no web app). */
const stackEnv = (overrides: Record<string, string> = {}) => ({
  CORS_ORIGINS: 'http://localhost:18080',
  API_UPSTREAMS: '127.0.0.1:14001,127.0.0.1:14002',
  WEB_UPSTREAM: '127.0.0.1:9',
  NGINX_WEB_PORT: '18080',
  NGINX_API_PORT: '18081',
  ...overrides,
});

const render = (env: Record<string, string>) => renderNginx(env, join(dir, `r${renders++}`));
const corsConf = (rendered: { dir: string }) =>
  readFile(join(rendered.dir, 'conf.d', '20-cors.conf'), 'utf8');

/** The `"~^…$" allowed;` lines of the origin map, trimmed. */
const originEntries = (conf: string) =>
  /map \$http_origin \$cors_origin_status \{\n([^}]*)\}/
    .exec(conf)![1]!
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.endsWith(' allowed;'));

/** An nginx map regex entry, compiled as JavaScript reads it (same syntax for these). */
const entryRegex = (entry: string) => new RegExp(/^"~(.*)" allowed;$/.exec(entry)![1]!);

describe('nginx -t on the rendered configuration', () => {
  it('accepts the stack defaults', async () => {
    const rendered = await render(stackEnv());
    const verdict = await testNginxConfig(rendered);
    expect(verdict.output).toMatch(/test is successful/);
    expect(verdict.ok).toBe(true);
  });

  it.each([
    ['one origin', 'http://localhost:3000'],
    [
      'several origins, schemes and ports',
      'https://app.example.com,http://localhost:3000,http://127.0.0.1:8080',
    ],
    ['an IPv6 origin', 'http://[::1]:3000,https://app.example.com'],
    ['spaces and an empty entry', ' https://a.example , https://b.example:8443 ,'],
    [
      'twenty origins',
      Array.from({ length: 20 }, (_, i) => `https://app${i}.example.com`).join(','),
    ],
  ])('accepts %s', async (_, origins) => {
    const rendered = await render(stackEnv({ CORS_ORIGINS: origins }));
    expect(await testNginxConfig(rendered)).toMatchObject({ ok: true });
  });

  it('accepts other rates, bursts, body limits and WebSocket timeouts', async () => {
    const rendered = await render(
      stackEnv({
        NGINX_AUTH_RATE: '300r/m',
        NGINX_AUTH_BURST: '1',
        API_BODY_LIMIT: '65536',
        NGINX_WS_READ_TIMEOUT: '2m',
        API_UPSTREAMS: '127.0.0.1:14001',
      }),
    );
    expect(await testNginxConfig(rendered)).toMatchObject({ ok: true });
  });

  it('fails (and says why) when the configuration is broken', async () => {
    const rendered = await render(stackEnv());
    await appendFile(join(rendered.dir, 'conf.d', '10-http.conf'), '\nno_such_directive on;\n');
    const verdict = await testNginxConfig(rendered);
    expect(verdict.ok).toBe(false);
    expect(verdict.output).toMatch(/unknown directive "no_such_directive"/);
  });
});

describe('the rendered CORS map', () => {
  it('has one anchored entry per origin, dots and brackets escaped, in the given order', async () => {
    const rendered = await render(
      stackEnv({
        CORS_ORIGINS: 'https://app.example.com, http://localhost:3000,http://[::1]:8080',
      }),
    );
    expect(originEntries(await corsConf(rendered))).toEqual([
      '"~^https://app\\.example\\.com$" allowed;',
      '"~^http://localhost:3000$" allowed;',
      '"~^http://\\[::1\\]:8080$" allowed;',
    ]);
  });

  it('matches each origin exactly, and no look-alike', async () => {
    const origins = ['https://app.example.com', 'http://localhost:3000'];
    const rendered = await render(stackEnv({ CORS_ORIGINS: origins.join(',') }));
    const regexes = originEntries(await corsConf(rendered)).map(entryRegex);
    const allowed = (origin: string) => regexes.some((r) => r.test(origin));
    for (const origin of origins) expect(allowed(origin)).toBe(true);
    for (const lookAlike of [
      'https://appxexample.com', // an unescaped dot would match any character
      'https://app.example.com.evil.example',
      'https://evil.app.example.com',
      'http://app.example.com',
      'http://localhost:30000',
      'http://localhost:3000/',
      'null',
    ])
      expect(allowed(lookAlike), lookAlike).toBe(false);
  });

  it('renders every upstream replica, with passive health checks', async () => {
    const rendered = await render(stackEnv());
    const conf = await readFile(join(rendered.dir, 'conf.d', '30-upstreams.conf'), 'utf8');
    expect(conf.match(/^\s*server .*;$/gm)?.map((l) => l.trim())).toEqual([
      'server 127.0.0.1:14001 max_fails=2 fail_timeout=5s;',
      'server 127.0.0.1:14002 max_fails=2 fail_timeout=5s;',
      'server 127.0.0.1:9;',
    ]);
  });
});

describe('derive-env.envsh refuses bad values, naming the variable', () => {
  it.each<[string, string, string, string?]>([
    ['CORS_ORIGINS', 'a wildcard', '*'],
    ['CORS_ORIGINS', 'a wildcard subdomain', 'https://*.example.com'],
    ['CORS_ORIGINS', 'an origin with a path', 'https://app.example.com/app'],
    ['CORS_ORIGINS', 'a trailing slash', 'https://app.example.com/'],
    ['CORS_ORIGINS', 'an upper-case host', 'https://App.example.com'],
    ['CORS_ORIGINS', 'the opaque origin null', 'null'],
    ['CORS_ORIGINS', 'another scheme', 'ftp://files.example.com'],
    [
      'CORS_ORIGINS',
      'a good origin next to a bad one',
      'https://app.example.com,http://evil.example/x',
      'http://evil.example/x',
    ],
    ['CORS_ORIGINS', 'an injection attempt', 'http://a.example;}'],
    ['CORS_ORIGINS', 'a quote', 'http://a.example"'],
    ['API_UPSTREAMS', 'a replica without a port', 'api-1'],
    ['API_UPSTREAMS', 'a URL', 'http://api-1:4000'],
    ['API_UPSTREAMS', 'an injection attempt', 'api-1:4000;down'],
    ['WEB_UPSTREAM', 'no port', 'web'],
    ['NGINX_AUTH_RATE', 'a rate without the r', '10/s'],
    ['NGINX_AUTH_RATE', 'a rate per hour', '10r/h'],
    ['NGINX_AUTH_BURST', 'a negative burst', '-1'],
    ['API_BODY_LIMIT', 'a size with a unit', '1m'],
    ['NGINX_WS_READ_TIMEOUT', 'a duration without a unit', '75'],
    ['NGINX_API_PORT', 'an injection attempt', '8081;'],
  ])('%s: %s (%j)', async (name, _, value, culprit = value) => {
    const failure = deriveNginxEnv({ [name]: value });
    await expect(failure).rejects.toThrow(name);
    // The message quotes the value (or the list item) as given, so the operator sees what to fix.
    await expect(failure).rejects.toThrow(`${name}="${culprit}"`);
  });

  it.each([
    ['an empty list', ''],
    ['only separators and spaces', ' , ,'],
  ])('CORS_ORIGINS: %s', async (_, value) => {
    await expect(deriveNginxEnv({ CORS_ORIGINS: value })).rejects.toThrow(
      'CORS_ORIGINS: list at least one origin',
    );
  });

  it.each([
    // A valid first line must not carry a second one into the config: here, a map entry that
    // would allow every http(s) origin.
    ['CORS_ORIGINS', 'http://a.example\n"\nallowed;\n"~^h"\nallowed;#'],
    ['API_UPSTREAMS', '127.0.0.1:4000\n;server 127.0.0.1:1'],
    ['NGINX_AUTH_RATE', '10r/s\n;limit_req_zone $uri zone=x:1m rate=1r/s'],
  ])('%s: a value over several lines', async (name, value) => {
    await expect(deriveNginxEnv({ [name]: value })).rejects.toThrow(name);
  });

  it('accepts the defaults, and derives the map and the upstream servers', async () => {
    const vars = await deriveNginxEnv({});
    expect(vars).toMatchObject({
      CORS_ORIGINS: 'http://localhost:8080',
      API_UPSTREAMS: 'api-1:4000,api-2:4000',
      NGINX_AUTH_RATE: '10r/s',
      NGINX_AUTH_BURST: '20',
      API_BODY_LIMIT: '1048576',
    });
    expect(vars.CORS_ORIGIN_MAP).toBe('    "~^http://localhost:8080$" allowed;\n');
    expect(vars.API_UPSTREAM_SERVERS).toBe(
      '    server api-1:4000 max_fails=2 fail_timeout=5s;\n' +
        '    server api-2:4000 max_fails=2 fail_timeout=5s;\n',
    );
  });
});

describe('substitute (the envsubst rule)', () => {
  it('replaces ${NAME} and $NAME when NAME is set', () => {
    expect(substitute('listen ${PORT}; root $ROOT;', { PORT: '8081', ROOT: '/srv' })).toBe(
      'listen 8081; root /srv;',
    );
  });

  it('leaves nginx’s own lower-case variables alone, braced ones included', () => {
    const template =
      'proxy_set_header X-Forwarded-For $remote_addr; map $time_iso8601 $t { "~^(?<local>.+)$" "${local}Z"; }';
    expect(substitute(template, { PORT: '1' })).toBe(template);
  });

  it('fails on an upper-case ${NAME} that is not set, naming it', () => {
    expect(() => substitute('listen ${NGINX_API_PORT};', {})).toThrow(
      'nginx template variable ${NGINX_API_PORT} is not set',
    );
  });

  it('substitutes once: a value is never expanded again', () => {
    expect(substitute('a ${A} b', { A: '$B', B: 'expanded' })).toBe('a $B b');
  });

  it('leaves no upper-case variable in the real templates, and every nginx variable', async () => {
    const rendered = await render(stackEnv());
    const http = await readFile(join(rendered.dir, 'conf.d', '10-http.conf'), 'utf8');
    const api = await readFile(join(rendered.dir, 'conf.d', '40-api.conf'), 'utf8');
    for (const text of [http, api]) expect(text).not.toMatch(/\$\{?[A-Z][A-Z0-9_]*\b/);
    expect(http).toContain('"${local}Z"');
    expect(http).toContain('$request_id_out');
    expect(api).toContain('listen 18081;');
    expect(api).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
  });
});
