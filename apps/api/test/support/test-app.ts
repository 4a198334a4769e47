import { type DynamicModule, type Type } from '@nestjs/common';
import { type Endpoint } from '@repo/contracts';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Writable } from 'node:stream';
import { AppModule } from '../../src/app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/app.setup.js';
import { Config } from '../../src/core/config/config.js';
import { parseEnv } from '../../src/core/config/env.js';
import { servedEndpoints } from '../../src/core/http/served-endpoints.js';
import { testGitHubEnv } from './oauth.js';
import { createTestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:40123 */
  origin: string;
  /** `origin` + /api/v1 */
  api: string;
  databaseUrl: string;
  /** Every JSON log line the app wrote, parsed. */
  logs: Record<string, unknown>[];
  /** Every route the app registered, as "METHOD /path". */
  routes: string[];
  /** The endpoints of the contract the app serves (bound by its controllers). */
  endpoints: Endpoint[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Extra modules, e.g. fixtures that exercise the core with routes the app does not have yet. */
  imports?: (Type | DynamicModule)[];
  /** Use this database instead of a fresh one. */
  databaseUrl?: string;
}

/** The real app on a real PostgreSQL, listening on a free port, talking real HTTP. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.databaseUrl ? undefined : await createTestDatabase();
  const databaseUrl = options.databaseUrl ?? database!.url;
  const config = new Config(
    parseEnv({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATABASE_URL: databaseUrl,
      // GitHub sign-in on (a local stand-in), so the suites that walk every endpoint reach the
      // provider routes; production refuses its plain-http URLs, and needs none of it.
      ...(options.env?.NODE_ENV === 'production' ? {} : await testGitHubEnv()),
      ...options.env,
    }),
  );
  const logs: Record<string, unknown>[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.forRoot({ config, databaseUrl, logDestination }),
      ...(options.imports ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(config),
    APP_OPTIONS,
  );
  const routes: string[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', ({ method, url }) => {
      for (const m of [method].flat()) routes.push(`${m} ${url}`);
    });
  await configureApp(app, config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    origin,
    api: `${origin}/api/v1`,
    databaseUrl,
    logs,
    routes,
    endpoints: servedEndpoints(app),
    close: async () => {
      await app.close();
      await database?.drop();
    },
  };
}
