import { AppError } from '../errors/app-error';

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients
 * (base64url JSON). A tampered cursor is a 400 naming the `cursor` field.
 */
export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

type CursorTypes = ReadonlyArray<'string' | 'number'>;
type Decoded<T extends CursorTypes> = { [K in keyof T]: T[K] extends 'number' ? number : string };

/** The values of a cursor, each of the type its position must have (`['string', 'number']`). */
export function decodeCursor<const T extends CursorTypes>(cursor: string, types: T): Decoded<T> {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === types.length &&
      values.every(
        (v, i) => typeof v === types[i] && (typeof v !== 'number' || Number.isFinite(v)) && (typeof v !== 'string' || v.length <= 100),
      )
    ) {
      return values as Decoded<T>;
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.invalid({ cursor: '分页参数不正确，请从第一页重新加载' });
}
