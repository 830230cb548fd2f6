import { idNumberCheckCharacter } from '@baoxue/shared';
import { In, IsNull, Not } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { insertChildren } from '../../server/src/modules/children/child-batch-sql';
import { nameKeyOf } from '../../server/src/modules/children/child-matching';
import { Child } from '../../server/src/modules/children/child.entity';
import { EnrolmentTallyService } from '../../server/src/modules/registry/enrolment-tally.service';
import { EnrolmentTally } from '../../server/src/modules/registry/registry.entities';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../support/api';
import { createPupil } from '../support/pupils';
import { csv, importRegistry, ROSTER_HEADER } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, WUMING } from '../support/tips';

const SCHOOL = '光山县十里镇中心小学';
/** The roster template's columns and the optional birth date (a row with a temporary 学籍号 and no ID number). */
const HEADER = [...ROSTER_HEADER, '出生日期'];

function id(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

/** The ID number of the `i`-th generated pupil: born on one of 3,000 days from 2012, a sequence per 3,000. */
function pupilId(i: number): string {
  const born = new Date(Date.UTC(2012, 0, 1) + (i % 3000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  return id(`411522${born}${String(Math.floor(i / 3000) * 2 + 1).padStart(3, '0')}`);
}

/** A roster row of 吴明村 at the demo primary school. */
function row(studentNumber: string, name: string, idNumber: string, sex: '男' | '女' = '男'): string[] {
  return [studentNumber, name, sex, idNumber, SCHOOL, '五年级', '', '否', WUMING, '', '', '', ''];
}

/** `count` pupils nobody knows yet, named apart from the children of the tips below. */
function generated(count: number, from = 0): string[][] {
  return Array.from({ length: count }, (_, k) => {
    const idNumber = pupilId(from + k);
    return row(`G${idNumber}`, `钱${'梓浩思雨俊'[k % 5]}${'涵宇远轩杰'[Math.floor(k / 5) % 5]}`, idNumber);
  });
}

/**
 * The roster import's batch path (issue 19): thousands of rows, written a thousand at a time while
 * the rest are still being checked, the new pupils inserted without reading their identifiers first
 * while nothing known turns up. Every guarantee of the row-by-row rules holds: one child per person,
 * the rows' errors and nothing written, the tallies told, the audit entry.
 */
describe('roster imports in batches', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let school: School;

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [admin, supervisor] = await Promise.all(['county-admin', 'supervisor'].map((a) => signInAs(server, a)));
    school = await server.dataSource.manager.findOneByOrFail(School, { name: SCHOOL });
  });
  afterAll(async () => server?.close());

  const manager = () => server.dataSource.manager;

  /** Files a tip about a child and answers with the child's record and its case. */
  async function tipChild(child: { name: string; sex: 'male' | 'female'; age: number; idNumber?: string }) {
    const tip = await fileTip(supervisor, { child });
    expect(tip.status).toBe(201);
    const caseId = (await manager().findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    return manager().findOneByOrFail(DropoutCase, { id: caseId });
  }

  it('turns the children of earlier tips into pupils among thousands of new ones: one record each, their cases with them', async () => {
    // found by ID number in the first and the third batch of 5,000 rows (the second has nobody known), by name,
    // birth date and village in the second
    const firstId = id('41152220140512782');
    const thirdId = id('41152220150630883');
    const first = await tipChild({ name: '冯雨涵', sex: 'female', age: 12, idNumber: firstId });
    const third = await tipChild({ name: '邓浩然', sex: 'male', age: 11, idNumber: thirdId });
    const byName = await tipChild({ name: '曹思琪', sex: 'female', age: 10, idNumber: id('41152220160211664') });
    const rows = generated(12_000);
    rows[9] = row(`G${firstId}`, '冯雨涵', firstId, '女');
    rows[10_999] = row(`G${thirdId}`, '邓浩然', thirdId);
    rows[7499] = row('L41152220160211CS01', '曹思琪', '', '女');
    const before = await manager().count(Child);

    const result = await importRegistry(server, admin, 'roster', csv(HEADER, rows), 'roster.csv');
    expect(result).toMatchObject({
      status: 'completed',
      errors: [],
      total: 12_000,
      processed: 12_000,
      created: 11_997,
      updated: 3,
      unchanged: 0,
    });
    expect(await manager().count(Child)).toBe(before + 11_997);
    for (const [opened, name, studentNumber] of [
      [first, '冯雨涵', `G${firstId}`],
      [third, '邓浩然', `G${thirdId}`],
      [byName, '曹思琪', 'L41152220160211CS01'],
    ] as const) {
      expect(await manager().countBy(Child, { nameKey: nameKeyOf(name) })).toBe(1);
      const pupil = await manager().findOneByOrFail(Child, { studentNumber });
      expect(pupil).toMatchObject({ id: opened.childId, grade: 5, villageCode: WUMING });
      expect(pupil.bindingCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      expect(await manager().findOneByOrFail(DropoutCase, { id: opened.id })).toMatchObject({ childId: pupil.id, openChildId: pupil.id });
    }
    const imported = await manager().findBy(Child, { studentNumber: In(rows.map((r) => r[0]!)) });
    expect(imported).toHaveLength(12_000);
    expect(new Set(imported.map((c) => c.bindingCode)).size).toBe(12_000);
    // the statistics hear of the new pupils: the import left a change row, so the tallies are counted again
    await server.app.get(EnrolmentTallyService).ensureCurrent();
    const tallied = await manager().findBy(EnrolmentTally, { schoolId: school.id });
    expect(tallied.reduce((sum, t) => sum + t.pupils, 0)).toBe(
      await manager().countBy(Child, { schoolId: school.id, studentNumber: Not(IsNull()) }),
    );
    expect(tallied.reduce((sum, t) => sum + t.pupils, 0)).toBeGreaterThanOrEqual(12_000);
    // and the import is in the audit log
    expect(await manager().countBy(AuditEntry, { action: 'registry.import', targetId: result.id })).toBe(1);

    // the same file again: every row found, nothing changes, nobody is added
    const again = await importRegistry(server, admin, 'roster', csv(HEADER, rows), 'roster.csv');
    expect(again).toMatchObject({ status: 'completed', created: 0, updated: 0, unchanged: 12_000 });
    expect(await manager().count(Child)).toBe(before + 11_997);
  });

  it('fails on a wrong row deep in a large roster, names it and keeps none of the rows written before it was found', async () => {
    const rows = generated(25_000, 20_000);
    const wrong = rows[20_998]![3]!;
    // line 21,000 (the header is line 1): the last character of the ID number no longer checks out
    rows[20_998] = row(`G${wrong}`, rows[20_998]![1]!, `${wrong.slice(0, 17)}${wrong[17] === '0' ? '1' : '0'}`);
    const before = await manager().count(Child);

    const result = await importRegistry(server, admin, 'roster', csv(HEADER, rows), 'roster.csv');
    expect(result).toMatchObject({ status: 'failed', total: 25_000, errorCount: 1, created: 0, updated: 0, unchanged: 0 });
    expect(result.errors).toEqual([{ line: 21_000, column: '身份证号', message: '身份证号校验位不正确，请核对' }]);
    expect(await manager().count(Child)).toBe(before);
    expect(await manager().countBy(Child, { studentNumber: In(rows.slice(0, 1000).map((r) => r[0]!)) })).toBe(0);
  });

  it('refuses a row the database contradicts late in a large roster, and keeps nothing', async () => {
    const a = await createPupil(server.dataSource, { name: '孔令杰', studentNumber: `G${pupilId(50_000)}`, idNumber: pupilId(50_000) });
    const b = await createPupil(server.dataSource, { name: '孔令辉', studentNumber: `G${pupilId(50_001)}`, idNumber: pupilId(50_001) });
    const rows = generated(12_000, 60_000);
    // line 11,502: a's 学籍号 with b's ID number — two records, one row
    rows[11_500] = row(a.studentNumber!, '孔令杰', b.idNumber!);
    const before = await manager().count(Child);

    const result = await importRegistry(server, admin, 'roster', csv(HEADER, rows), 'roster.csv');
    expect(result).toMatchObject({ status: 'failed', total: 12_000, errorCount: 1, created: 0 });
    expect(result.errors).toEqual([
      {
        line: 11_502,
        column: '身份证号',
        message: '学籍号和身份证号分别属于两个不同的孩子记录，请核对；如确为同一个孩子，请先合并这两条记录再导入',
      },
    ]);
    expect(await manager().count(Child)).toBe(before);
    expect(await manager().findOneByOrFail(Child, { id: a.id })).toMatchObject({ idNumber: a.idNumber, studentNumber: a.studentNumber });
  });

  it('draws a new record’s binding code again when another record already has it', async () => {
    const holder = await createPupil(server.dataSource, {
      name: '卫东',
      idNumber: null,
      studentNumber: 'L41152220141111WD01',
      bindingCode: 'ABCDEFGH',
    });
    const now = new Date();
    const record: Child = {
      ...holder,
      id: newId(),
      name: '卫西',
      nameKey: '卫西',
      idNumber: null,
      studentNumber: `L41152220150101WX${'01'}`,
      bindingCode: 'ABCDEFGH',
      createdAt: now,
      updatedAt: now,
    };
    await server.dataSource.transaction((inner) => insertChildren(inner, [record]));
    const stored = await manager().findOneByOrFail(Child, { id: record.id });
    expect(stored.bindingCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(stored.bindingCode).not.toBe('ABCDEFGH');
    expect(stored.bindingCode).toBe(record.bindingCode);
    expect((await manager().findOneByOrFail(Child, { id: holder.id })).bindingCode).toBe('ABCDEFGH');
  });
});
