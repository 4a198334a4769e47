import { describe, expect, it } from 'vitest';
import { rateLimitedAddress } from '../../src/core/rate-limit/client-ip.js';

describe('rateLimitedAddress: what a per-IP limit counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['127.0.0.1', '127.0.0.1'],
  ])('keeps an IPv4 address as is: %s', (ip, counted) => {
    expect(rateLimitedAddress(ip)).toBe(counted);
  });

  it.each([
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:cb00:7107', '203.0.113.7'],
  ])('counts an IPv4-mapped IPv6 address as its IPv4: %s', (ip, counted) => {
    expect(rateLimitedAddress(ip)).toBe(counted);
  });

  it.each([
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:0000:0000:0000:0009', '2001:db8:1:2::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
  ])('counts an IPv6 address as its /64: %s', (ip, counted) => {
    expect(rateLimitedAddress(ip)).toBe(counted);
  });

  it('keeps neighbouring /64 prefixes apart', () => {
    expect(rateLimitedAddress('2001:db8:1:2::1')).not.toBe(rateLimitedAddress('2001:db8:1:3::1'));
  });
});
