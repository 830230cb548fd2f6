import ExcelJS from 'exceljs';
import { idNumberCheckCharacter } from '@baoxue/shared';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { ChildGuardian } from '../../server/src/modules/children/child-guardian.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { HouseholdMember, PovertyRegistration } from '../../server/src/modules/registry/registry.entities';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { ABSENCE_HEADER, csv, HOUSEHOLD_HEADER, importRegistry, POVERTY_HEADER, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import * as iconv from 'iconv-lite';

function id(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

const SCHOOL = '光山县十里镇中心小学';
const ID_A = id('41152220150301124');
const ID_B = id('41152220140712233');
const ID_C = id('41152220120915345');

const rosterRows = () => [
  [`G${ID_A}`, '王小红', '女', ID_A, SCHOOL, '五年级', '2班', '否', '411522101203', '王建设', '父亲', '13800138000'],
  [`G${ID_B}`, '李明', '男', ID_B, SCHOOL, '6', '1班', '是', '411522101203', '张兰', '母亲', ''],
  ['L41152220120915ABCD', '赵强', '男', '', SCHOOL, '初一', '', '', '', '', '', ''],
];

describe('registry imports', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
  });
  afterAll(async () => server?.close());

  it('offers a template for each kind, with its columns', async () => {
    const response = await fetch(`${server.apiUrl}/registry/templates/roster`, { headers: { authorization: `Bearer ${admin.token}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const header = (workbook.worksheets[0]!.getRow(1).values as string[]).slice(1);
    // required columns carry the ＊ the import reads past
    expect(header).toEqual(expect.arrayContaining(['学籍号＊', '姓名＊', '学校＊', '年级＊', '是否寄宿', '监护人姓名']));
    expect(workbook.getWorksheet('填写说明')).toBeDefined();
    expectError(await admin.get('/registry/templates/unknown'), 400, 'VALIDATION_FAILED');
  });

  it('imports a roster with pupils, guardians and binding codes, and a second import changes nothing', async () => {
    const file = await xlsx(ROSTER_HEADER, rosterRows());
    const first = await importRegistry(server, admin, 'roster', file);
    expect(first).toMatchObject({
      status: 'completed',
      total: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      errorCount: 0,
      createdByName: '周国华',
    });
    const pupil = await server.dataSource.manager.findOneByOrFail(Child, { studentNumber: `G${ID_A}` });
    expect(pupil).toMatchObject({
      name: '王小红',
      sex: 'female',
      grade: 5,
      className: '2班',
      boarding: false,
      idNumber: ID_A,
      birthDate: '2015-03-01',
      countyCode: '411522000000',
    });
    expect(pupil.bindingCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(await server.dataSource.manager.findOneByOrFail(ChildGuardian, { childId: pupil.id })).toMatchObject({
      name: '王建设',
      relation: '父亲',
      phone: '13800138000',
    });
    const temporary = await server.dataSource.manager.findOneByOrFail(Child, { studentNumber: 'L41152220120915ABCD' });
    expect(temporary).toMatchObject({ grade: 7, idNumber: null, birthDate: '2012-09-15' });

    const again = await importRegistry(server, admin, 'roster', file);
    expect(again).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 3 });
    expect(await server.dataSource.manager.countBy(Child, { countyCode: '411522000000' })).toBe(3);
    expect((await server.dataSource.manager.findOneByOrFail(Child, { id: pupil.id })).bindingCode).toBe(pupil.bindingCode);

    const promoted = rosterRows().map((row) => (row[0] === `G${ID_A}` ? [...row.slice(0, 5), '六年级', ...row.slice(6)] : row));
    expect(await importRegistry(server, admin, 'roster', await xlsx(ROSTER_HEADER, promoted))).toMatchObject({
      created: 0,
      updated: 1,
      unchanged: 2,
    });
  });

  it('reports every bad row by line and column in Chinese and imports nothing', async () => {
    const before = await server.dataSource.manager.count(Child);
    const rows = [
      [`G${id('41152220160101112')}`, '好学生', '女', id('41152220160101112'), SCHOOL, '一年级', '', '否', '', '', '', ''],
      [`G${ID_C.slice(0, 17)}0`, '校验错', '男', '', SCHOOL, '三年级', '', '', '', '', '', ''],
      [`G${id('41152220150505555')}`, '无此校', '男', '', '光山县不存在小学', '三年级', '', '', '', '', '', ''],
      [`G${id('41152220150606666')}`, '年级错', '男', '', SCHOOL, '十年级', '', '也许', '', '', '', ''],
      [`G${id('41152220160101112')}`, '重复', '女', '', SCHOOL, '一年级', '', '', '', '', '', ''],
      ['', '', '', '', '', '', '', '', '', '', '', ''].map((v, i) => (i === 1 ? '缺学籍号' : v)),
    ];
    const result = await importRegistry(server, admin, 'roster', await xlsx(ROSTER_HEADER, rows));
    expect(result.status).toBe('failed');
    const byLine = (line: number) => result.errors.filter((e) => e.line === line).map((e) => `${e.column ?? ''}:${e.message}`);
    expect(byLine(2)).toEqual([]);
    expect(byLine(3)).toEqual(['学籍号:G字头学籍号后18位应为有效身份证号：身份证号校验位不正确，请核对']);
    expect(byLine(4)).toEqual(['学校:本县没有学校“光山县不存在小学”，请核对学校名称或标识码']);
    expect(byLine(5).sort()).toEqual(['年级:年级“十年级”应为1–9或“五年级”“初一”这样的写法', '是否寄宿:“也许”应为“是”或“否”'].sort());
    expect(byLine(6)).toEqual([':与第2行重复']);
    expect(byLine(7)).toEqual(expect.arrayContaining(['学籍号:学籍号不能为空', '学校:学校不能为空', '年级:年级不能为空']));
    expect(result.errorCount).toBe(result.errors.length);
    expect(await server.dataSource.manager.count(Child)).toBe(before);
  });

  it('refuses a file with the wrong columns, a non-Excel file named .xlsx, and IDs saved as numbers', async () => {
    const wrong = await importRegistry(server, admin, 'roster', await xlsx(['编号', '名字'], [['1', '张三']]));
    expect(wrong).toMatchObject({
      status: 'failed',
      errors: [{ line: 1, message: '缺少必填列：学籍号、姓名、学校、年级。请下载模板核对表头' }],
    });
    const fake = await importRegistry(
      server,
      admin,
      'roster',
      Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100, 0)]),
      'roster.xlsx',
    );
    expect(fake).toMatchObject({
      status: 'failed',
      errors: [{ line: 0, message: '文件不是 Excel（.xlsx）或 CSV 格式；旧版 .xls 请另存为 .xlsx' }],
    });
    const broken = await importRegistry(
      server,
      admin,
      'roster',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('not really a zip')]),
      'roster.xlsx',
    );
    expect(broken).toMatchObject({ status: 'failed', errors: [{ line: 0, message: 'Excel 文件已损坏或不是有效的 .xlsx 文件' }] });
    const numeric = await importRegistry(
      server,
      admin,
      'household',
      await xlsx(HOUSEHOLD_HEADER, [[Number(ID_C.slice(0, 17)) * 10, '数字身份证', '411522101203', '', '']]),
    );
    expect(numeric.errors[0]).toEqual({
      line: 2,
      column: '身份证号',
      message: '身份证号被保存为数字，末尾数字已丢失；请把该列设为文本格式后重新填写',
    });
  });

  it('imports the household registration from CSV saved in GB18030, keyed by ID number', async () => {
    const rows = [
      [ID_A, '王小红', '411522101203', '王建设', '13800138000'],
      [ID_C, '陈小兵', '411522102201', '', ''],
    ];
    const file = iconv.encode(csv(HOUSEHOLD_HEADER, rows).toString('utf8'), 'gb18030');
    const result = await importRegistry(server, admin, 'household', file, 'household.csv');
    expect(result).toMatchObject({ status: 'completed', created: 2 });
    expect(await server.dataSource.manager.findOneByOrFail(HouseholdMember, { idNumber: ID_C })).toMatchObject({
      name: '陈小兵',
      birthDate: '2012-09-15',
      sex: 'male',
      villageCode: '411522102201',
    });
    expect(await importRegistry(server, admin, 'household', file, 'household.csv')).toMatchObject({ created: 0, unchanged: 2 });
    const outside = await importRegistry(
      server,
      admin,
      'household',
      await xlsx(HOUSEHOLD_HEADER, [[id('41152120150301777'), '外县', '411521100001', '', '']]),
    );
    expect(outside.errors).toEqual([{ line: 2, column: '村区划代码', message: '区划代码 411521100001 不是本县的村' }]);
  });

  it('imports absences of pupils on the roster and the poor-household list', async () => {
    const absences = await importRegistry(
      server,
      admin,
      'absence',
      await xlsx(ABSENCE_HEADER, [
        [`G${ID_A}`, '2026-11-02', '否'],
        [`G${ID_A}`, '2026-11-03', '是'],
      ]),
    );
    expect(absences).toMatchObject({ status: 'completed', created: 2 });
    const pupil = await server.dataSource.manager.findOneByOrFail(Child, { studentNumber: `G${ID_A}` });
    expect(
      (await server.dataSource.manager.findBy(AttendanceDay, { childId: pupil.id })).map((d) => [d.day, d.present, d.excused]).sort(),
    ).toEqual([
      ['2026-11-02', false, false],
      ['2026-11-03', false, true],
    ]);
    const unknown = await importRegistry(
      server,
      admin,
      'absence',
      await xlsx(ABSENCE_HEADER, [[`G${id('41152220100101999')}`, '2026-11-02', '否']]),
    );
    expect(unknown.errors[0]).toMatchObject({ line: 2, column: '学籍号' });
    const poverty = await importRegistry(
      server,
      admin,
      'poverty',
      await xlsx(POVERTY_HEADER, [
        [ID_B, '李明', '脱贫户', '411522101203'],
        [ID_B, '李明', '低保', ''],
      ]),
    );
    // the errors first: a failure says why (a system error, an interrupted job) rather than only that it failed
    expect(poverty.errors).toEqual([]);
    expect(poverty).toMatchObject({ status: 'completed', created: 2 });
    expect(await server.dataSource.manager.countBy(PovertyRegistration, { idNumber: ID_B })).toBe(2);
  });

  it('is the county admin’s alone, and each import is visible only to its county', async () => {
    const cadre = await signInAs(server, 'township-cadre');
    expectError(await cadre.get('/registry/imports'), 403, 'FORBIDDEN');
    const list = await admin.get<{ items: Array<{ kind: string }> }>('/registry/imports?kind=roster');
    expect(list.body.items.length).toBeGreaterThanOrEqual(3);
    expect(list.body.items.every((i) => i.kind === 'roster')).toBe(true);
  });
});
