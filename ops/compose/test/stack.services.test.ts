import { describe, expect, it } from 'vitest';
import { replicaUrl, stack, stateOf } from './support/compose.js';

const LONG_RUNNING = ['postgres', 'mailpit', 'api-1', 'api-2', 'worker', 'web', 'nginx'];

describe('compose stack: the services', () => {
  it('ran the migrate job to exit code 0', async () => {
    expect(await stateOf('migrate')).toMatchObject({ Status: 'exited', ExitCode: 0 });
  });

  it.each(LONG_RUNNING)('runs %s, healthy', async (service) => {
    expect(await stateOf(service)).toMatchObject({
      Status: 'running',
      Health: { Status: 'healthy' },
    });
  });

  it('is ready through nginx (the database reachable from the API)', async () => {
    const res = await fetch(`${stack.apiUrl}/health/ready`);
    expect(res.status).toBe(200);
  });

  it.each(['api-1', 'api-2'])(
    'serves %s’s metrics on the network (port 9464), never through nginx',
    async (service) => {
      const res = await fetch(`${await replicaUrl(service, 9464)}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('http_server_request_duration_seconds_count{');
      const origin = new URL(stack.apiUrl).origin;
      for (const path of ['/metrics', '/api/v1/metrics', '/api/v1/../metrics'])
        expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    },
  );
});
