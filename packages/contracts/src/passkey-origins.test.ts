import { describe, expect, it } from 'vitest';
import { passkeyOriginProblems, passkeyRpId } from './passkey-origins.js';

const reasons = (web: string, others: string[] = []) =>
  passkeyOriginProblems(web, others).map((p) => `${p.origin}: ${p.reason}`);

describe('which web origins passkeys can work from', () => {
  it('takes the RP ID from the web origin’s hostname', () => {
    expect(passkeyRpId('https://app.example.com')).toBe('app.example.com');
    expect(passkeyRpId('http://localhost:3000')).toBe('localhost');
  });

  it('accepts localhost over http, https domains and their subdomains', () => {
    expect(reasons('http://localhost:3000', ['http://localhost:3000'])).toEqual([]);
    expect(reasons('http://localhost:3000', ['http://localhost:8080'])).toEqual([]);
    expect(
      reasons('https://example.com', ['https://app.example.com', 'https://a.b.example.com']),
    ).toEqual([]);
    expect(reasons('https://app.example.com:8443')).toEqual([]);
  });

  it('refuses a web origin on an IP address', () => {
    expect(reasons('http://127.0.0.1:3000')).toEqual([
      expect.stringMatching(/^http:\/\/127\.0\.0\.1:3000: its host 127\.0\.0\.1 is an IP address/),
    ]);
    expect(reasons('https://[::1]:3000')).toEqual([expect.stringContaining('IP address')]);
    expect(reasons('https://10.0.0.5')).toEqual([expect.stringContaining('IP address')]);
  });

  it('refuses plain http anywhere but localhost', () => {
    expect(reasons('http://app.example.com')).toEqual([
      'http://app.example.com: passkeys need https (plain http works on localhost only)',
    ]);
    expect(reasons('https://example.com', ['http://app.example.com'])).toEqual([
      'http://app.example.com: passkeys need https (plain http works on localhost only)',
    ]);
  });

  it('refuses another origin that is not the RP ID or below it', () => {
    expect(reasons('https://app.example.com', ['https://example.com'])).toEqual([
      'https://example.com: its host example.com is neither the RP ID app.example.com (the host of https://app.example.com) nor a subdomain of it',
    ]);
    expect(reasons('https://example.com', ['https://notexample.com'])).toHaveLength(1);
    expect(reasons('https://example.com', ['https://example.com.evil.test'])).toHaveLength(1);
    expect(reasons('http://localhost:3000', ['http://127.0.0.1:3000'])).toEqual([
      expect.stringContaining('neither the RP ID localhost'),
    ]);
  });

  it('names a value that is not an origin', () => {
    expect(reasons('not a url')).toEqual(['not a url: it is not an origin (scheme://host[:port])']);
    expect(reasons('https://example.com', ['::'])).toEqual([
      '::: it is not an origin (scheme://host[:port])',
    ]);
    expect(reasons('https://example.com/app')).toHaveLength(1);
  });
});
