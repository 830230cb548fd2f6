import { AppError } from '../errors/app-error';

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients
 * (base64url JSON). A tampered cursor is a 400 naming the `cursor` field.
 */
export function encodeCursor(values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Array<string | number> {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) {
      return values as Array<string | number>;
    }
  } catch {
    // fall through to the error below
  }
  throw AppError.invalid({ cursor: '分页参数不正确，请从第一页重新加载' });
}
