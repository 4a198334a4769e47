import { contract } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMITS } from '../support/auth-extras.js';
import { registrationOptions } from '../support/passkey-world.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { World } from '../support/world.js';

const { passkeys } = contract;

describe('passkeys take their RP ID and origins from the web origins', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        ...NO_RATE_LIMITS,
        WEB_ORIGIN: 'https://example.com',
        // localhost stays allowed for the test's requests; it cannot hold this RP ID's passkeys.
        CORS_ORIGINS: 'https://example.com,https://app.example.com,http://localhost:3000',
        PASSKEY_RP_NAME: 'Example',
      },
    });
    w = new World(t);
  });
  afterAll(() => t.close());

  it('uses the web origin’s host as the RP ID and the configured name', async () => {
    const options = await registrationOptions(w, await w.user());
    expect(options.rp).toEqual({ id: 'example.com', name: 'Example' });
  });

  it('accepts a ceremony from the web origin and from another allowed origin below the RP ID', async () => {
    for (const origin of ['https://example.com', 'https://app.example.com']) {
      const user = await w.user();
      const response = new SoftwareAuthenticator(origin).register(
        await registrationOptions(w, user),
      );
      await w.expect(`add from ${origin}`, passkeys.add, 'success', {
        as: user,
        body: { response },
      });
    }
  });

  it('refuses a ceremony from an origin that is not allowed', async () => {
    const user = await w.user();
    const response = new SoftwareAuthenticator('https://evil.example.com').register(
      await registrationOptions(w, user),
    );
    await w.expect('add from evil', passkeys.add, [400, 'passkey_rejected'], {
      as: user,
      body: { response },
    });
  });

  it('warned at start of the allowed origin that cannot use passkeys', () => {
    const warnings = t.logs.filter((line) => String(line.msg).startsWith('Passkeys will not work'));
    expect(warnings.map((line) => line.origin)).toEqual(['http://localhost:3000']);
    expect(warnings[0]).toMatchObject({ level: 40, rpId: 'example.com' });
  });
});
