import { normalizeIp } from '@nestjs/throttler';

/**
 * The address a per-IP rate limit counts: an IPv4 address as is (an IPv4-mapped IPv6 address as
 * its IPv4), an IPv6 address as its /64 prefix (`2001:db8:1:2::/64`). One IPv6 subscriber gets
 * at least a /64, so counting single addresses would give each client 2^64 fresh ones.
 */
export const rateLimitedAddress = (ip: string): string => normalizeIp(ip, 64);
