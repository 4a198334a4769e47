import { describe, expect, it } from 'vitest';
import { defaultPasskeyName } from './passkey-name.js';

const NO_AAGUID = '00000000-0000-0000-0000-000000000000';

describe('the default name of a passkey', () => {
  it('is its provider when the authenticator says which', () => {
    expect(defaultPasskeyName('fbfc3007-154e-4ecc-8c0b-6e020557d7bd', undefined)).toBe(
      'iCloud Keychain',
    );
  });

  it('is else the browser and system it was made on', () => {
    const cases: [string, string][] = [
      [
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36',
        'Chrome on Linux',
      ],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0',
        'Edge on Windows',
      ],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
        'Safari on iOS',
      ],
      [
        'Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36',
        'Chrome on Android',
      ],
      [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:140.0) Gecko/20100101 Firefox/140.0',
        'Firefox on macOS',
      ],
    ];
    for (const [userAgent, name] of cases)
      expect(defaultPasskeyName(NO_AAGUID, userAgent)).toBe(name);
  });

  it('is "Passkey" when nothing tells', () => {
    expect(defaultPasskeyName(NO_AAGUID, undefined)).toBe('Passkey');
    expect(defaultPasskeyName(NO_AAGUID, 'curl/8.0')).toBe('Passkey');
  });
});
