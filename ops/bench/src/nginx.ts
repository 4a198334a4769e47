/** nginx, rendered from nginx/templates as `pnpm stack` does, in front of one API process. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderNginx, type Service, startNginx } from '@repo/stack';
import { freePort } from '@repo/test-support';

export interface Proxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  service: Service;
  stop(): Promise<void>;
}

export async function startProxy(apiPort: number): Promise<Proxy> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-nginx-'));
  const apiOrigin = await freePort();
  const rendered = await renderNginx(
    {
      CORS_ORIGINS: 'http://localhost:3000',
      API_UPSTREAMS: `127.0.0.1:${apiPort}`,
      // No web app: nginx answers 503 for the web origin.
      WEB_UPSTREAM: '127.0.0.1:9',
      NGINX_WEB_PORT: String(await freePort()),
      NGINX_API_PORT: String(apiOrigin),
    },
    dir,
  );
  const service = await startNginx(rendered);
  return {
    url: `http://127.0.0.1:${apiOrigin}`,
    service,
    stop: async () => {
      await service.stop('SIGQUIT');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
