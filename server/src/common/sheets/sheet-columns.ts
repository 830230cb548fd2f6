/**
 * A sheet's columns, declared once: the header officials see (and the other names their systems
 * export it under), whether it is required, an example and a note for the template. The same spec
 * builds the template and maps an uploaded header row back to keys, so column order does not
 * matter and headers may carry the ＊ of required columns.
 */
export interface SheetColumn<K extends string = string> {
  key: K;
  header: string;
  required: boolean;
  /** Other headers officials use for the same column. */
  aliases?: readonly string[];
  example: string;
  note?: string;
  /** Template column width in characters; by default wide enough for the example. */
  width?: number;
}

/** Headers compare without spaces, the ＊ of required columns, brackets, or full-width forms. */
export const normaliseHeader = (header: string): string => header.normalize('NFKC').replace(/[\s*＊()（）]/g, '');

export interface HeaderMap<K extends string> {
  /** Column key → index in the row's cells. */
  positions: Map<K, number>;
  /** Required columns the header lacks. */
  missing: Array<SheetColumn<K>>;
}

export function mapHeader<K extends string>(columns: ReadonlyArray<SheetColumn<K>>, header: readonly string[]): HeaderMap<K> {
  const normalised = header.map(normaliseHeader);
  const positions = new Map<K, number>();
  const missing: Array<SheetColumn<K>> = [];
  for (const column of columns) {
    const names = [column.header, ...(column.aliases ?? [])].map(normaliseHeader);
    const index = normalised.findIndex((h) => names.includes(h));
    if (index >= 0) positions.set(column.key, index);
    else if (column.required) missing.push(column);
  }
  return { positions, missing };
}

/** A data row read through a header map: each cell by its column key ('' when absent). */
export interface SheetRow<K extends string> {
  line: number;
  get(key: K): string;
}

export function sheetRow<K extends string>(line: number, cells: readonly string[], positions: ReadonlyMap<K, number>): SheetRow<K> {
  return {
    line,
    get: (key: K) => {
      const index = positions.get(key);
      return index === undefined ? '' : (cells[index] ?? '');
    },
  };
}
