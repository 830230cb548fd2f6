import type { ApiRowError } from '@baoxue/shared';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../../../server/src/common/errors/app-error';
import { parseDateCell } from '../../../server/src/common/sheets/date-cell';
import { readSheet } from '../../../server/src/common/sheets/read-sheet';
import { cell, RowErrors, validateRow } from '../../../server/src/common/sheets/row-schema';
import { mapHeader, sheetRow, type SheetColumn } from '../../../server/src/common/sheets/sheet-columns';
import { readTable, UnreadableFileError, type TabularRow } from '../../../server/src/common/sheets/sheet-reader';
import { sheetTemplate } from '../../../server/src/common/sheets/sheet-template';

type Key = 'studentNumber' | 'name' | 'day' | 'boarding';

const COLUMNS: ReadonlyArray<SheetColumn<Key>> = [
  { key: 'studentNumber', header: '学籍号', aliases: ['全国学籍号'], required: true, example: 'G411522201503011234' },
  { key: 'name', header: '姓名', required: true, example: '王小红', note: '须与学籍一致' },
  { key: 'day', header: '日期（缺勤）', required: false, example: '2026-11-02' },
  { key: 'boarding', header: '是否寄宿', aliases: ['寄宿'], required: false, example: '否' },
];

const ROW = {
  name: cell.text(4, '姓名最多4个字'),
  day: cell.optional(cell.parsed(parseDateCell, '日期格式应为“2026-09-01”')),
  boarding: cell.optional(
    cell.oneOf(
      new Map([
        ['是', true],
        ['否', false],
      ]),
      '是否寄宿应填“是”或“否”',
    ),
  ),
};

async function xlsx(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名册');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function rowsOf(source: Buffer, options = {}): Promise<TabularRow[]> {
  const rows: TabularRow[] = [];
  for await (const row of readTable(source, options)) rows.push(row);
  return rows;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw error;
  return error;
}

describe('one date-cell parser for every sheet', () => {
  it.each([
    ['2026-09-01', '2026-09-01'],
    ['2026/9/1', '2026-09-01'],
    ['2026.9.1', '2026-09-01'],
    ['2026年9月1日', '2026-09-01'],
    ['2026年09月01', '2026-09-01'],
    ['20260901', '2026-09-01'],
    ['２０２６－０９－０１', '2026-09-01'],
    [' 2024-02-29 ', '2024-02-29'],
  ])('reads %s as %s', (text, iso) => expect(parseDateCell(text)).toBe(iso));

  it.each(['2023-02-29', '2026-13-01', '2026-09-31', '2026-9', '26-09-01', '九月一日', '2026090', '', '#NUMBER:20260901'])(
    'refuses %j',
    (text) => expect(parseDateCell(text)).toBeNull(),
  );
});

describe('header mapping from the column spec', () => {
  it('finds columns in any order, by header or alias, past ＊, spaces, brackets and full-width forms', () => {
    const { positions, missing } = mapHeader(COLUMNS, ['备注', '寄宿', ' 姓名＊ ', '日期(缺勤)', '全国学籍号*']);
    expect(Object.fromEntries(positions)).toEqual({ studentNumber: 4, name: 2, day: 3, boarding: 1 });
    expect(missing).toEqual([]);
  });

  it('names the required columns that are missing', () => {
    expect(mapHeader(COLUMNS, ['是否寄宿', '日期']).missing.map((c) => c.header)).toEqual(['学籍号', '姓名']);
  });

  it('a row reads its cells by key, blank when the column is absent', () => {
    const row = sheetRow<Key>(
      7,
      ['张三', 'G1'],
      new Map<Key, number>([
        ['name', 0],
        ['studentNumber', 1],
        ['day', 5],
      ]),
    );
    expect([row.line, row.get('name'), row.get('studentNumber'), row.get('day'), row.get('boarding')]).toEqual([7, '张三', 'G1', '', '']);
  });
});

describe('row validation with a zod row schema', () => {
  const positions = mapHeader(
    COLUMNS,
    COLUMNS.map((c) => c.header),
  ).positions;
  const row = (cells: string[], line = 2) => sheetRow(line, cells, positions);

  it('gives every value of a good row, blank optional cells as null', () => {
    const errors = new RowErrors();
    expect(validateRow(row(['G1', '王小红', '2026年9月1日', '是']), ROW, COLUMNS, errors)).toEqual({
      ok: true,
      values: { name: '王小红', day: '2026-09-01', boarding: true },
    });
    expect(validateRow(row(['G1', '王小红', '', '']), ROW, COLUMNS, errors).values).toEqual({ name: '王小红', day: null, boarding: null });
    expect(errors.count).toBe(0);
  });

  it('reports each bad cell under its header, keeping the good cells for rules across cells', () => {
    const errors = new RowErrors();
    const checked = validateRow(row(['G1', '欧阳小红红', '2026-02-30', '是'], 5), ROW, COLUMNS, errors);
    expect(checked).toEqual({ ok: false, values: { boarding: true } });
    expect(errors.list).toEqual<ApiRowError[]>([
      { line: 5, column: '姓名', message: '姓名最多4个字' },
      { line: 5, column: '日期（缺勤）', message: '日期格式应为“2026-09-01”' },
    ]);
  });

  it('refuses the file with the first problems by line, in Chinese', () => {
    const errors = new RowErrors();
    errors.add(9, '姓名', '姓名不能为空');
    errors.add(3, '学籍号', '本县学籍中没有这个学籍号');
    errors.add(3, undefined, '与第2行重复');
    expect(() => new RowErrors().throwIfAny()).not.toThrow();
    let thrown: unknown;
    try {
      errors.throwIfAny(2);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'FILE_INVALID',
      message: '文件中有3处错误，未导入任何数据，请按行号修改后重新上传',
      rows: [
        { line: 3, column: '学籍号', message: '本县学籍中没有这个学籍号' },
        { line: 3, message: '与第2行重复' },
      ],
    });
  });
});

describe('one streamed reader for .xlsx and .csv', () => {
  it('reads the first worksheet as text, numbering lines as Excel does and skipping blank rows', async () => {
    const file = await xlsx([['学籍号', '姓名'], ['G1', ' 王小红 '], [], ['G2', '李四']]);
    expect(await rowsOf(file)).toEqual([
      { line: 1, cells: ['学籍号', '姓名'], format: 'xlsx' },
      { line: 2, cells: ['G1', '王小红'], format: 'xlsx' },
      { line: 4, cells: ['G2', '李四'], format: 'xlsx' },
    ]);
  });

  it('reads the first tab the official sees: a hidden sheet before it is passed over', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('下拉选项', { state: 'hidden' }).addRow(['是', '否']);
    workbook.addWorksheet('名册').addRows([
      ['学籍号', '姓名'],
      ['G1', '王小红'],
    ]);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await rowsOf(file)).map((r) => r.cells)).toEqual([
      ['学籍号', '姓名'],
      ['G1', '王小红'],
    ]);
  });

  it('reads every small workbook whole, from memory and from disk, however many are read at once', async () => {
    // exceljs's one-pass reader lost the parts after the first worksheet in 2 to 9 reads of these
    // 2,000 (exceljs#3064): the shared strings and the workbook part, and a good file was refused as damaged
    const file = await xlsx([
      ['学籍号', '身份证号', '姓名＊', '学年', '困难类别', '是否寄宿'],
      ['G411522201001010011', '', '陈寄宿', '2024—2025', '脱贫户', '是'],
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'bx-sheet-'));
    const path = join(dir, 'small.xlsx');
    await writeFile(path, file);
    const outcomes = new Map<string, number>();
    try {
      for (let round = 0; round < 250; round++) {
        await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const rows: TabularRow[] = [];
            const outcome = await (async () => {
              for await (const row of readTable(i % 2 ? path : file)) rows.push(row);
              return rows.length === 2 && rows[1]!.cells[2] === '陈寄宿' ? 'whole' : `${rows.length} rows`;
            })().catch((error: Error) => error.message);
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          }),
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(Object.fromEntries(outcomes)).toEqual({ whole: 2000 });
  });

  it('reads CSV in UTF-8 (with BOM) and in GB18030 as Excel saves it in China', async () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('学籍号,姓名\nG1,王小红\n,\nG2,"李, 四"\n')]);
    expect(await rowsOf(utf8)).toEqual([
      { line: 1, cells: ['学籍号', '姓名'], format: 'csv' },
      { line: 2, cells: ['G1', '王小红'], format: 'csv' },
      { line: 4, cells: ['G2', '李, 四'], format: 'csv' },
    ]);
    // 张三 in GB18030
    const gb = Buffer.concat([Buffer.from('name\n'), Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), Buffer.from('\n')]);
    expect(await rowsOf(gb)).toEqual([
      { line: 1, cells: ['name'], format: 'csv' },
      { line: 2, cells: ['张三'], format: 'csv' },
    ]);
  });

  it('refuses binaries, broken workbooks and broken CSV with a message the official can act on', async () => {
    const messages = async (source: Buffer, options = {}) => {
      try {
        await rowsOf(source, options);
        return 'read';
      } catch (error) {
        expect(error).toBeInstanceOf(UnreadableFileError);
        return (error as Error).message;
      }
    };
    const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(await messages(ole2)).toBe('文件不是 Excel（.xlsx）或 CSV 格式；旧版 .xls 请另存为 .xlsx');
    const broken = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 0x41)]);
    expect(await messages(broken)).toBe('Excel 文件已损坏或不是有效的 .xlsx 文件');
    expect(await messages(Buffer.from('a,b\n"unclosed,1\n'))).toBe('CSV 格式错误：引号或分隔符不匹配，请用“另存为 CSV（UTF-8）”重新导出');
    // the line the parser stopped at travels with the refusal, for importers that report it
    await expect(rowsOf(Buffer.from('a,b\n1,2\n"unclosed,1\n'))).rejects.toMatchObject({ line: 3 });
    expect(await messages(Buffer.from('a,b\n1,2\n'), { xlsxOnly: '请上传 Excel（.xlsx）文件' })).toBe('请上传 Excel（.xlsx）文件');
  });
});

describe('reading a whole small sheet by its columns', () => {
  it('maps rows by header and refuses missing columns, empty sheets and too many rows', async () => {
    const rows = await readSheet(
      await xlsx([
        ['姓名＊', '学籍号＊'],
        ['王小红', 'G1'],
      ]),
      COLUMNS,
      { maxRows: 10 },
    );
    expect(rows.map((r) => [r.line, r.get('studentNumber'), r.get('name')])).toEqual([[2, 'G1', '王小红']]);

    const missing = await refusal(readSheet(await xlsx([['姓名'], ['王小红']]), COLUMNS, { maxRows: 10 }));
    expect(missing).toMatchObject({ code: 'FILE_INVALID', rows: [{ line: 1, message: '缺少必填列：学籍号。请下载模板核对表头' }] });
    const empty = await refusal(readSheet(await xlsx([['学籍号', '姓名']]), COLUMNS, { maxRows: 10 }));
    expect(empty).toMatchObject({ code: 'FILE_INVALID', rows: [{ line: 2, message: '文件中没有数据行' }] });
    const many = await refusal(
      readSheet(
        await xlsx([
          ['学籍号', '姓名'],
          ['G1', '甲'],
          ['G2', '乙'],
          ['G3', '丙'],
        ]),
        COLUMNS,
        { maxRows: 2 },
      ),
    );
    expect(many).toMatchObject({ code: 'FILE_INVALID', rows: [{ line: 4, message: '一次最多导入2行' }] });
    const csv = await refusal(
      readSheet(Buffer.from('学籍号,姓名\nG1,甲\n'), COLUMNS, { maxRows: 2, xlsxOnly: '请上传 Excel（.xlsx）文件' }),
    );
    expect(csv).toMatchObject({ code: 'UNSUPPORTED_FILE', message: '请上传 Excel（.xlsx）文件' });
  });
});

describe('one template builder from the column spec', () => {
  it('marks required columns, keeps examples as text, explains every column, and reads back through the same spec', async () => {
    const { fileName, content } = await sheetTemplate('缺勤记录', COLUMNS);
    expect(fileName).toBe('缺勤记录导入模板.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('缺勤记录');
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual(['学籍号＊', '姓名＊', '日期（缺勤）', '是否寄宿']);
    expect((sheet.getRow(2).values as string[]).slice(1)).toEqual(['G411522201503011234', '王小红', '2026-11-02', '否']);
    expect(sheet.getRow(2).getCell(1).numFmt).toBe('@');
    const notes = workbook.getWorksheet('填写说明')!;
    expect((notes.getRow(2).values as string[]).slice(1)).toEqual(['学籍号', '必填', '也可写作：全国学籍号']);
    expect((notes.getRow(3).values as string[]).slice(1)).toEqual(['姓名', '必填', '须与学籍一致']);
    expect((notes.getRow(5).values as string[]).slice(1)).toEqual(['是否寄宿', '选填', '也可写作：寄宿']);
    // a template filled in as given imports: its header maps every column
    const rows = await readSheet(content, COLUMNS, { maxRows: 10 });
    expect(rows.map((r) => COLUMNS.map((c) => r.get(c.key)))).toEqual([['G411522201503011234', '王小红', '2026-11-02', '否']]);
  });
});
