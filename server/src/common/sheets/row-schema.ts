import type { ApiRowError } from '@baoxue/shared';
import { z } from 'zod';
import { AppError } from '../errors/app-error';
import type { SheetColumn, SheetRow } from './sheet-columns';

/**
 * Row validation for uploaded sheets: a row schema is one zod schema per column, from the cell's
 * text to its value, whose messages are the Chinese texts officials see. Each cell is checked on
 * its own, so one bad cell does not hide the others and rules across cells still see the good ones;
 * every problem becomes a row error `{ line, column, message }` named by the column's header.
 */
export type CellSchema<T> = z.ZodType<T, string>;
export type RowSchema<K extends string> = Partial<Record<K, CellSchema<unknown>>>;
export type RowValues<S> = { [P in keyof S]: S[P] extends CellSchema<infer T> ? T : never };

/** Collects row problems; an import writes nothing while there are any. */
export class RowErrors {
  /** `list`: where the problems go (an import's own list, when it keeps one). */
  constructor(readonly list: ApiRowError[] = []) {}

  add(line: number, column: string | undefined, message: string): void {
    this.list.push(column === undefined ? { line, message } : { line, column, message });
  }

  get count(): number {
    return this.list.length;
  }

  /** The problems by line (in the order found within a line), at most `max` of them. */
  sorted(max = Infinity): ApiRowError[] {
    return [...this.list].sort((a, b) => a.line - b.line).slice(0, max);
  }

  /** A 422 listing the first problems by line, when there are any. */
  throwIfAny(max = 200): void {
    if (!this.list.length) return;
    throw new AppError('FILE_INVALID', `文件中有${this.list.length}处错误，未导入任何数据，请按行号修改后重新上传`, {}, this.sorted(max));
  }
}

/**
 * The row's values by its schema, or null with its problems added to `errors`. `values` holds every
 * cell that passed, for rules across cells.
 */
export function validateRow<K extends string, S extends RowSchema<K>>(
  row: SheetRow<K>,
  schema: S,
  columns: ReadonlyArray<SheetColumn<K>>,
  errors: RowErrors,
): { ok: true; values: RowValues<S> } | { ok: false; values: Partial<RowValues<S>> } {
  const values: Partial<Record<K, unknown>> = {};
  let ok = true;
  for (const key of Object.keys(schema) as K[]) {
    const header = columns.find((c) => c.key === key)?.header ?? key;
    const value = readCell(schema[key]!, row.get(key), row.line, header, errors);
    if (value === INVALID) ok = false;
    else values[key] = value;
  }
  return ok ? { ok, values: values as RowValues<S> } : { ok, values: values as Partial<RowValues<S>> };
}

/** What `readCell` gives for a cell its schema refused. */
export const INVALID: unique symbol = Symbol('invalid cell');

/** One cell by its schema, or INVALID with its problem added to `errors` under `column`. */
export function readCell<T>(schema: CellSchema<T>, text: string, line: number, column: string, errors: RowErrors): T | typeof INVALID {
  const result = schema.safeParse(text);
  if (result.success) return result.data;
  errors.add(line, column, result.error.issues[0]?.message ?? `${column}填写有误`);
  return INVALID;
}

const YES = new Set(['是', '1', 'y', 'yes']);
const NO = new Set(['否', '0', 'n', 'no']);

/** Cell schemas shared by the county's sheets. */
export const cell = {
  /** A value read by `read` (null when the text is not one), refused with `message`. */
  parsed<T>(read: (text: string) => T | null | undefined, message: string | ((text: string) => string)): CellSchema<T> {
    return z.string().transform((text, ctx) => {
      const value = read(text);
      if (value === null || value === undefined) {
        ctx.issues.push({ code: 'custom', message: typeof message === 'string' ? message : message(text), input: text });
        return z.NEVER;
      }
      return value;
    });
  },
  /** One of the labels in `labels` (after `normalise`), refused with `message`. */
  oneOf<T>(
    labels: ReadonlyMap<string, T>,
    message: string | ((text: string) => string),
    normalise = (text: string) => text,
  ): CellSchema<T> {
    return cell.parsed((text) => labels.get(normalise(text)), message);
  },
  /** 是 / 否 (also 1 / 0, y / n, yes / no), and any `more` words the column takes. */
  yesNo(message: string | ((text: string) => string), more: ReadonlyMap<string, boolean> = new Map()): CellSchema<boolean> {
    return cell.parsed((text) => {
      const word = text.toLowerCase();
      return YES.has(word) ? true : NO.has(word) ? false : more.get(text);
    }, message);
  },
  /** Free text of at most `max` characters; blank is null. */
  text(max: number, message: string): CellSchema<string | null> {
    return z
      .string()
      .max(max, { message })
      .transform((text) => text || null);
  },
  /** Blank is null; otherwise the text must pass `schema`. */
  optional<T>(schema: CellSchema<T>): CellSchema<T | null> {
    return z.string().transform((text, ctx) => {
      if (text === '') return null;
      const result = schema.safeParse(text);
      if (result.success) return result.data;
      for (const issue of result.error.issues) ctx.issues.push({ code: 'custom', message: issue.message, input: text });
      return z.NEVER;
    });
  },
};
