import { divisionPrefix, normalizeIdentifier } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import type { SheetColumn } from '../../common/sheets/sheet-columns';
import { nameKeyOf } from '../children/child-matching';
import type { ChildRecords, ChildRow } from '../children/child-records';
import type { SchoolRecords } from '../schools/school-records';

/** The county a child belongs to: its own record, else its village's, else its school's. */
export async function countyOfChild(schools: SchoolRecords, manager: EntityManager, child: ChildRow): Promise<string | null> {
  if (child.countyCode) return child.countyCode;
  if (child.villageCode) return `${child.villageCode.slice(0, 6)}000000`;
  if (child.schoolId) return schools.countyOf(manager, child.schoolId);
  return null;
}

/** The columns that name the pupil, first in every subsidy sheet. */
export const PUPIL_COLUMNS: ReadonlyArray<SheetColumn<'studentNumber' | 'idNumber' | 'name'>> = [
  { key: 'studentNumber', header: '学籍号', required: false, example: 'G411522201503150021', note: '学籍号或身份证号至少填一项' },
  { key: 'idNumber', header: '身份证号', required: false, example: '', note: '没有学籍号时填写' },
  { key: 'name', header: '姓名', required: true, example: '张小明', note: '须与学籍一致' },
];

/** How the county's subsidy sheets are read: .xlsx only (as the contract says), at most 50,000 rows. */
export const SUBSIDY_SHEET = { xlsxOnly: '请上传 Excel（.xlsx）文件；旧版 .xls 请另存为 .xlsx', maxRows: 50_000 };

/**
 * Finds the pupils of sheet rows by 学籍号 or ID number, within one county, in a few queries. The
 * name on the row must match the record: a typo in a number must not pay another child.
 */
export class PupilLookup {
  private constructor(
    private readonly byStudentNumber: Map<string, ChildRow>,
    private readonly byIdNumber: Map<string, ChildRow>,
  ) {}

  static async load(
    children: ChildRecords,
    manager: EntityManager,
    countyCode: string,
    studentNumbers: string[],
    idNumbers: string[],
  ): Promise<PupilLookup> {
    const prefix = divisionPrefix(countyCode);
    const inCounty = (c: ChildRow) => c.countyCode === countyCode || (c.villageCode ?? '').startsWith(prefix);
    const find = async (field: 'studentNumber' | 'idNumber', values: string[]) => {
      const found: ChildRow[] = [];
      const unique = [...new Set(values.filter(Boolean))];
      for (let i = 0; i < unique.length; i += 1000)
        found.push(...(await children.findByIdentifiers(manager, field, unique.slice(i, i + 1000))));
      return new Map(found.filter(inCounty).map((c) => [c[field]!, c]));
    };
    return new PupilLookup(
      await find('studentNumber', studentNumbers.map(normalizeIdentifier)),
      await find('idNumber', idNumbers.map(normalizeIdentifier)),
    );
  }

  /** The pupil, or a problem to report on the row. */
  find(studentNumber: string, idNumber: string, name: string): { child: ChildRow } | { column: string; message: string } {
    if (!studentNumber && !idNumber) return { column: '学籍号', message: '请填写学籍号或身份证号' };
    const child = studentNumber
      ? this.byStudentNumber.get(normalizeIdentifier(studentNumber))
      : this.byIdNumber.get(normalizeIdentifier(idNumber));
    if (!child)
      return studentNumber
        ? { column: '学籍号', message: '本县学籍中没有这个学籍号' }
        : { column: '身份证号', message: '本县没有这个身份证号的学生' };
    if (!name) return { column: '姓名', message: '请填写姓名' };
    if (child.nameKey !== nameKeyOf(name)) return { column: '姓名', message: `姓名与学籍不一致（学籍中为${child.name}）` };
    return { child };
  }
}
