/** A datetime read raw (not through an entity): a Date from mysql2, UTC text without a zone from SQLite. */
export function rawDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}
