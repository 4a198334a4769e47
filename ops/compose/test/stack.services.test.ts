import { describe, expect, it } from 'vitest';
import { stack, stateOf } from './support/compose.js';

const LONG_RUNNING = ['postgres', 'mailpit', 'api-1', 'api-2', 'web', 'nginx'];

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
});
