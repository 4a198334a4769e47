import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A URL-safe random secret: 32 bytes (256 bits) unless asked otherwise. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** How random tokens are stored: only their hash, so a database dump reveals no usable token. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Compares secrets in constant time. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
