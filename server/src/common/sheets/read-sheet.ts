import type { ApiRowError } from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import { mapHeader, sheetRow, type SheetColumn, type SheetRow } from './sheet-columns';
import { readTable, UnreadableFileError, type ReadOptions, type SheetSource } from './sheet-reader';

/** The line-1 problem of a header that lacks required columns. */
export function missingColumnsError(missing: ReadonlyArray<SheetColumn>): ApiRowError {
  return { line: 1, message: `缺少必填列：${missing.map((c) => c.header).join('、')}。请下载模板核对表头` };
}

/**
 * Every data row of a small sheet (subsidy lists), mapped by its header. An unreadable file is a 415,
 * a header without its required columns, an empty sheet or one over `maxRows` a 422 naming the line.
 */
export async function readSheet<K extends string>(
  source: SheetSource,
  columns: ReadonlyArray<SheetColumn<K>>,
  options: ReadOptions & { maxRows: number },
): Promise<Array<SheetRow<K>>> {
  const rows: Array<SheetRow<K>> = [];
  let positions: Map<K, number> | null = null;
  try {
    for await (const { line, cells } of readTable(source, options)) {
      if (!positions) {
        const header = mapHeader(columns, cells);
        if (header.missing.length) throw new AppError('FILE_INVALID', undefined, {}, [missingColumnsError(header.missing)]);
        positions = header.positions;
        continue;
      }
      if (rows.length === options.maxRows)
        throw new AppError('FILE_INVALID', undefined, {}, [{ line, message: `一次最多导入${options.maxRows}行` }]);
      rows.push(sheetRow(line, cells, positions));
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw new AppError('UNSUPPORTED_FILE', error.message, { file: '文件无法读取' });
    throw error;
  }
  if (!positions) throw new AppError('FILE_INVALID', undefined, {}, [{ line: 1, message: '文件是空的' }]);
  if (!rows.length) throw new AppError('FILE_INVALID', undefined, {}, [{ line: 2, message: '文件中没有数据行' }]);
  return rows;
}
