import { randomBytes } from 'node:crypto';

/**
 * Cryptographic randomness drawn from a buffer filled 4 KiB at a time: one call into OpenSSL per
 * ~250 ids instead of one each (an import of a million pupils draws two million times).
 */
const POOL_SIZE = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

function entropy(bytes: number): Buffer {
  if (bytes > POOL_SIZE) return randomBytes(bytes);
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  offset += bytes;
  return pool.subarray(offset - bytes, offset);
}

/**
 * UUIDv7 (RFC 9562): a millisecond timestamp followed by randomness, so new rows land at the end
 * of primary-key indexes and ids sort by creation time, which keyset pagination relies on.
 */
export function newId(now: number = Date.now()): string {
  const bytes = Buffer.from(entropy(16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No 0/O or 1/I: codes are read aloud over the phone and copied from paper. */
const READABLE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random code of `length` characters from an alphabet of 32 (5 bits of a random byte each: unbiased). */
export function newReadableCode(length: number): string {
  let code = '';
  for (const byte of entropy(length)) code += READABLE_ALPHABET[byte & 31];
  return code;
}
