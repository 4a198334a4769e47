import { describe, expect, it } from 'vitest';
import { configChecks } from '../src/checks/config.js';
import { type DoctorSetup } from '../src/model.js';

/** The configuration alone: no API runs. */
const setup = (origins: string[], corsOrigins: string[] = origins): DoctorSetup => ({
  apiUrl: 'https://api.example.com/api/v1',
  wsUrl: 'wss://api.example.com/ws',
  origins,
  config: { corsOrigins, nodeEnv: 'development', cookieSameSite: 'lax' },
  timeoutMs: 1_000,
  idleMs: false,
});

const passkeyResults = (s: DoctorSetup) =>
  configChecks(s)
    .filter((r) => r.name.startsWith('passkeys'))
    .map((r) => `${r.status} ${r.code ?? ''} ${r.detail}`.replace(/\s+/g, ' '));

describe('the doctor on passkeys: an RP ID that can work for the web origins', () => {
  it('passes a web origin on a domain, with its subdomains allowed', () => {
    expect(
      passkeyResults(
        setup(['https://example.com'], ['https://example.com', 'https://app.example.com']),
      ),
    ).toEqual([
      'pass RP ID example.com: passkeys work from https://example.com, https://app.example.com',
    ]);
    expect(passkeyResults(setup(['http://localhost:3000']))).toEqual([
      'pass RP ID localhost: passkeys work from http://localhost:3000',
    ]);
  });

  it('warns of a web origin on an IP address', () => {
    expect(passkeyResults(setup(['http://127.0.0.1:3000']))).toEqual([
      expect.stringMatching(/^warn config_passkey_origin http:\/\/127\.0\.0\.1:3000: .*IP address/),
    ]);
  });

  it('warns of another allowed origin outside the RP ID, and of plain http off localhost', () => {
    expect(
      passkeyResults(
        setup(['https://app.example.com'], ['https://app.example.com', 'https://example.org']),
      ),
    ).toEqual([
      expect.stringMatching(
        /^warn config_passkey_origin https:\/\/example\.org: .*neither the RP ID app\.example\.com/,
      ),
    ]);
    expect(passkeyResults(setup(['http://app.example.com']))).toEqual([
      expect.stringMatching(
        /^warn config_passkey_origin http:\/\/app\.example\.com: passkeys need https/,
      ),
    ]);
  });
});
