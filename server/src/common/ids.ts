import { randomBytes, randomInt } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): a millisecond timestamp followed by randomness, so new rows land at the end
 * of primary-key indexes and ids sort by creation time, which keyset pagination relies on.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** No 0/O or 1/I: codes are read aloud over the phone and copied from paper. */
const READABLE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random code of `length` characters from an alphabet of 32 (5 bits each). */
export function newReadableCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
  return code;
}
