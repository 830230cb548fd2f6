import type { ApiRowError } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { AppError } from '../../common/errors/app-error';
import { cellText } from '../../common/sheets/cell-text';

/**
 * The county's spreadsheets (eligibility lists, payment sheets): a template to download, and a
 * reader that maps columns by their header, so column order does not matter and headers may
 * carry the ＊ of required columns. Lines are numbered as Excel shows them (header = line 1).
 */
export interface SheetColumn<K extends string> {
  key: K;
  header: string;
  required: boolean;
  /** Other headers officials use for the same column. */
  aliases?: string[];
  example: string;
  note: string;
}

/** The columns that name the pupil, first in every subsidy sheet. */
export const PUPIL_COLUMNS: ReadonlyArray<SheetColumn<'studentNumber' | 'idNumber' | 'name'>> = [
  { key: 'studentNumber', header: '学籍号', required: false, example: 'G411522201503150021', note: '学籍号或身份证号至少填一项' },
  { key: 'idNumber', header: '身份证号', required: false, example: '', note: '没有学籍号时填写' },
  { key: 'name', header: '姓名', required: true, example: '张小明', note: '须与学籍一致' },
];

export interface SheetRow<K extends string> {
  line: number;
  get(key: K): string;
}

const MAX_ROWS = 50_000;
const MAX_REPORTED = 200;

const normaliseHeader = (header: string) => header.normalize('NFKC').replace(/[\s*＊()（）]/g, '');

export async function sheetTemplate<K extends string>(
  title: string,
  columns: ReadonlyArray<SheetColumn<K>>,
): Promise<{ fileName: string; content: Buffer }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '保学通';
  const sheet = workbook.addWorksheet(title);
  sheet.columns = columns.map((c) => ({
    header: c.required ? `${c.header}＊` : c.header,
    key: c.key,
    width: Math.max(12, c.example.length * 2 + 4),
    style: { numFmt: '@' },
  }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((c, i) => {
    if (c.required) sheet.getRow(1).getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE68A' } };
  });
  sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, c.example])));
  const notes = workbook.addWorksheet('填写说明');
  notes.columns = [
    { header: '列名', key: 'header', width: 16 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明', key: 'note', width: 70 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of columns) notes.addRow({ header: c.header, required: c.required ? '必填' : '选填', note: c.note });
  notes.addRow({});
  notes.addRow({
    header: '注意',
    note: '带＊的黄色表头为必填列；学籍号、身份证号请设为“文本”格式；第2行是示例，导入前请删除；全部行通过校验才会写入，重复导入同一文件不会产生重复数据。',
  });
  return { fileName: `${title}导入模板.xlsx`, content: Buffer.from(await workbook.xlsx.writeBuffer()) };
}

/** The rows of the first worksheet; a missing required column or an unreadable file is a 422 naming it. */
export async function readSheet<K extends string>(buffer: Buffer, columns: ReadonlyArray<SheetColumn<K>>): Promise<Array<SheetRow<K>>> {
  if (!buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])))
    throw new AppError('UNSUPPORTED_FILE', '请上传 Excel（.xlsx）文件；旧版 .xls 请另存为 .xlsx', { file: '不是 .xlsx 文件' });
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('UNSUPPORTED_FILE', 'Excel 文件已损坏或不是有效的 .xlsx 文件', { file: '文件无法读取' });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new AppError('FILE_INVALID', undefined, {}, [{ line: 1, message: '文件中没有工作表' }]);
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).map((v) => normaliseHeader(cellText(v)));
  const positions = new Map<K, number>();
  const missing: ApiRowError[] = [];
  for (const column of columns) {
    const names = [column.header, ...(column.aliases ?? [])].map(normaliseHeader);
    const index = header.findIndex((h) => names.includes(h));
    if (index > 0) positions.set(column.key, index);
    else if (column.required) missing.push({ line: 1, column: column.header, message: `缺少“${column.header}”列，请使用模板` });
  }
  if (missing.length) throw new AppError('FILE_INVALID', undefined, {}, missing);
  const rows: Array<SheetRow<K>> = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    if (line === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    const cells = new Map<K, string>([...positions].map(([key, index]) => [key, cellText(values[index])]));
    if ([...cells.values()].every((v) => v === '')) return;
    rows.push({ line, get: (key: K) => cells.get(key) ?? '' });
  });
  if (!rows.length) throw new AppError('FILE_INVALID', undefined, {}, [{ line: 2, message: '文件中没有数据行' }]);
  if (rows.length > MAX_ROWS)
    throw new AppError('FILE_INVALID', undefined, {}, [{ line: MAX_ROWS + 2, message: `一次最多导入${MAX_ROWS}行` }]);
  return rows;
}

/** Collects row problems; the import writes nothing while there are any. */
export class RowErrors {
  readonly list: ApiRowError[] = [];

  add(line: number, column: string, message: string): void {
    this.list.push({ line, column, message });
  }

  throwIfAny(): void {
    if (!this.list.length) return;
    const sorted = [...this.list].sort((a, b) => a.line - b.line);
    throw new AppError(
      'FILE_INVALID',
      `文件中有${sorted.length}处错误，未导入任何数据，请按行号修改后重新上传`,
      {},
      sorted.slice(0, MAX_REPORTED),
    );
  }
}
