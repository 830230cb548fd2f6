import { idNumberCheckCharacter, REGISTRY_KINDS, type ApiRowError, type RegistryKind } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { mapHeader, parseRow, registryTemplate, type RowContext } from '../../../server/src/modules/registry/registry-formats';

const TODAY = new Date('2026-11-10T02:00:00Z');
const ID = (() => {
  const body = '41152220150301123';
  return body + idNumberCheckCharacter(body);
})();

const CONTEXT: RowContext = {
  countyCode: '411522000000',
  villages: new Map([['411522101203', '吴明村民委员会']]),
  villagesByName: new Map([['十里镇/吴明村民委员会', '411522101203']]),
  schoolsByName: new Map([['光山县十里镇中心小学', 'school-1']]),
  schoolsByCode: new Map([['2141012345', 'school-1']]),
  today: TODAY,
};

/** One row of `kind` with these cells under these headers: its record, or its problems. */
function parse(kind: RegistryKind, cells: Record<string, string>, line = 2) {
  const header = mapHeader(kind, Object.keys(cells));
  expect(header.errors).toEqual([]);
  const errors: ApiRowError[] = [];
  const row = parseRow(kind, Object.values(cells), header.columns, line, CONTEXT, errors);
  return { row, errors };
}

describe('registry rows through the sheet pipeline', () => {
  it('reads a roster row in officials’ own spellings', () => {
    const { row, errors } = parse('roster', {
      全国学籍号: `G${ID}`,
      学生姓名: '王小红',
      性别: '女',
      出生日期: '2015年3月1日',
      学校标识码: '2141012345',
      年级: '五年级',
      寄宿: 'Y',
      '乡镇（街道）': '十里镇',
      '村（社区）': '吴明村民委员会',
    });
    expect(errors).toEqual([]);
    expect(row).toMatchObject({
      studentNumber: `G${ID}`,
      name: '王小红',
      sex: 'female',
      idNumber: ID,
      birthDate: '2015-03-01',
      schoolId: 'school-1',
      grade: 5,
      boarding: true,
      villageCode: '411522101203',
    });
  });

  it('reports every bad cell of a row by line and column, with the texts officials know', () => {
    const { row, errors } = parse(
      'roster',
      { 学籍号: `G${ID}`, 姓名: '王小红', 性别: '妇', 出生日期: '2015-02-30', 学校: '别县小学', 年级: '十年级', 是否寄宿: '也许' },
      7,
    );
    expect(row).toBeNull();
    expect(errors).toEqual([
      { line: 7, column: '性别', message: '性别“妇”应为“男”或“女”' },
      { line: 7, column: '出生日期', message: '“2015-02-30”不是有效日期（应为 2026-09-01 这样的格式）' },
      { line: 7, column: '学校', message: '本县没有学校“别县小学”，请核对学校名称或标识码' },
      { line: 7, column: '年级', message: '年级“十年级”应为1–9或“五年级”“初一”这样的写法' },
      { line: 7, column: '是否寄宿', message: '“也许”应为“是”或“否”' },
    ]);
  });

  it('refuses dates after today in China, and reads absences', () => {
    expect(parse('absence', { 学籍号: `G${ID}`, 日期: '2026/11/11', 是否请假: '否' }).errors).toEqual([
      { line: 2, column: '日期', message: '日期 2026-11-11 晚于今天' },
    ]);
    expect(parse('absence', { 学籍号: `G${ID}`, 缺勤日期: '20261110', 请假: '' }).row).toEqual({
      studentNumber: `G${ID}`,
      day: '2026-11-10',
      excused: false,
    });
  });

  it('reads poverty categories by any of their names', () => {
    expect(parse('poverty', { 身份证号: ID, 姓名: '王小红', 户类型: '建档立卡户' }).row).toMatchObject({ category: 'registered_poor' });
    expect(parse('poverty', { 身份证号: ID, 姓名: '王小红', 类别: '富裕户' }).errors).toEqual([
      { line: 2, column: '类别', message: '类别“富裕户”应为脱贫户、监测户、低保、特困、孤儿或残疾' },
    ]);
  });

  it('names the missing required columns in one line-1 error', () => {
    expect(mapHeader('roster', ['姓名', '备注']).errors).toEqual([
      { line: 1, message: '缺少必填列：学籍号、学校、年级。请下载模板核对表头' },
    ]);
  });

  it.each(Object.keys(REGISTRY_KINDS) as RegistryKind[])('the %s template’s header maps back to every column', async (kind) => {
    const { fileName, content } = await registryTemplate(kind);
    expect(fileName).toBe(`${REGISTRY_KINDS[kind]}导入模板.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(content as never);
    const header = (workbook.worksheets[0]!.getRow(1).values as string[]).slice(1);
    const mapped = mapHeader(kind, header);
    expect(mapped.errors).toEqual([]);
    expect(mapped.columns.size).toBe(header.length);
  });
});
