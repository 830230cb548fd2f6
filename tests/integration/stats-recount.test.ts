import {
  ancestorDivisionCode,
  divisionLevelOf,
  expectedGrade,
  schoolYearOf,
  schoolYearRange,
  stageOfGrade,
  type PriorityGroup,
  type StatsResponse,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../support/api';
import { idNumberFor } from '../support/pupils';
import { importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

const COUNTY = '411522000000';
/** 李堰塆村, 十里镇. */
const LIYAN = '411522101204';
const SHILI_PRIMARY = '光山县十里镇中心小学';
const SHILI_JUNIOR = '光山县十里镇初级中学';
const ZHAIHE_PRIMARY = '光山县寨河镇中心小学';
const CONFIRMED_OR_LATER = ['confirmed', 'persuading', 'escalated', 'returned', 'closed'];

type By = 'village' | 'township' | 'school';
type Stage = 'primary' | 'junior' | 'poor';
type Figures = Record<Stage, { enrolled: number; dropouts: number }>;
const noFigures = (): Figures => ({
  primary: { enrolled: 0, dropouts: 0 },
  junior: { enrolled: 0, dropouts: 0 },
  poor: { enrolled: 0, dropouts: 0 },
});
const figuresOf = (row: StatsResponse['total']): Figures => ({
  primary: { enrolled: row.primary.enrolled, dropouts: row.primary.dropouts },
  junior: { enrolled: row.junior.enrolled, dropouts: row.junior.dropouts },
  poor: { enrolled: row.poor.enrolled, dropouts: row.poor.dropouts },
});

/**
 * Statistics count children (BRIEF §3a, §5): whatever made the child's record (roster, tip) and
 * however many cases it had, a dropout is one child in one row, the rows add up to the total at
 * every level, and what the API answers equals a recount from the raw children and cases.
 */
describe('dropout statistics against a recount of the raw records', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let leader: ApiClient;
  let schoolStaff: ApiClient;
  let schoolYear: number;

  const manager = () => server.dataSource.manager;
  const stats = async (client: ApiClient, by: By, under?: string): Promise<StatsResponse> => {
    const response = await client.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}&by=${by}${under ? `&under=${under}` : ''}`);
    expect(response.status).toBe(200);
    return response.body;
  };

  /** Files a tip through the API; returns the case it opened or joined and the child. */
  async function tip(child: Record<string, unknown>, divisionCode: string | null): Promise<{ caseId: string; child: Child }> {
    const response = await fileTip(supervisor, { divisionCode, child: child as never });
    expect(response.status).toBe(201);
    const caseId = (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
    const record = await manager().findOneByOrFail(DropoutCase, { id: caseId });
    return { caseId, child: await manager().findOneByOrFail(Child, { id: record.childId }) };
  }
  // the case workflow has its own tests: here the verification's outcome is written as it leaves it
  const confirm = (caseId: string, at = server.clock.now()) =>
    manager().update(DropoutCase, { id: caseId }, { status: 'confirmed', confirmedAt: at, causes: ['poverty'] });
  const close = (caseId: string) =>
    manager().update(DropoutCase, { id: caseId }, { status: 'closed', openChildId: null, closedAt: server.clock.now() });
  const flag = (child: Child, groups: PriorityGroup[]) => manager().update(Child, { id: child.id }, { priorityGroups: groups });

  /**
   * The figures recounted in the test from the raw rows: pupils are children with a 学籍号 and a
   * grade; a dropout is a child with a case confirmed (or further) in the school year and not merged.
   * A child is placed by its village, else its school's township, else its latest case's township.
   */
  async function recount(by: By, under: string = COUNTY): Promise<{ total: Figures; rows: Map<string, Figures> }> {
    const [children, cases, schools] = await Promise.all([
      manager().findBy(Child, { countyCode: COUNTY }),
      manager().find(DropoutCase),
      manager().find(School),
    ]);
    const townshipOfSchool = new Map(schools.map((s) => [s.id, s.townshipCode]));
    const prefix = under.slice(0, divisionLevelOf(under) === 'county' ? 6 : divisionLevelOf(under) === 'township' ? 9 : 12);
    const rows = new Map<string, Figures>();
    const total = noFigures();
    const count = (child: Child, place: string | null, grade: number | null, field: 'enrolled' | 'dropouts') => {
      const stage = stageOfGrade(grade);
      if (!stage || (place === null ? under !== COUNTY : !place.startsWith(prefix))) return;
      const code =
        by === 'school'
          ? (child.schoolId ?? under)
          : place === null
            ? under
            : divisionLevelOf(place) === 'village' && by === 'township'
              ? ancestorDivisionCode(place, 'township')!
              : place;
      if (!rows.has(code)) rows.set(code, noFigures());
      const poor = child.priorityGroups.includes('registered_poor') || child.priorityGroups.includes('monitored');
      for (const figures of [total, rows.get(code)!]) {
        figures[stage][field]++;
        if (poor) figures.poor[field]++;
      }
    };
    const placeOf = (child: Child) => child.villageCode ?? (child.schoolId ? (townshipOfSchool.get(child.schoolId) ?? null) : null);
    for (const child of children) if (child.studentNumber && child.grade !== null) count(child, placeOf(child), child.grade, 'enrolled');

    const { from, to } = schoolYearRange(schoolYear);
    const [start, end] = [new Date(`${from}T00:00:00+08:00`), new Date(`${to}T23:59:59+08:00`)];
    const counted = cases.filter(
      (c) => !c.mergedIntoId && CONFIRMED_OR_LATER.includes(c.status) && !!c.confirmedAt && c.confirmedAt >= start && c.confirmedAt <= end,
    );
    for (const child of children) {
      const own = counted.filter((c) => c.childId === child.id);
      if (!own.length) continue;
      const latest = own.sort((a, b) => a.confirmedAt!.getTime() - b.confirmedAt!.getTime()).at(-1)!;
      const grade = child.grade ?? expectedGrade(schoolYear, child.birthYear, child.birthDate);
      count(child, placeOf(child) ?? latest.townshipCode, grade, 'dropouts');
    }
    return { total, rows };
  }

  /** The API's answer equals the recount, row by row, and its rows add up to its total. */
  async function expectRecounted(client: ApiClient, by: By, under?: string, callerUnit = under): Promise<StatsResponse> {
    const answer = await stats(client, by, under);
    const truth = await recount(by, callerUnit);
    expect(Object.fromEntries(answer.rows.map((r) => [r.code, figuresOf(r)]))).toEqual(Object.fromEntries(truth.rows));
    expect(figuresOf(answer.total)).toEqual(truth.total);
    const sum = noFigures();
    for (const row of answer.rows)
      for (const stage of ['primary', 'junior', 'poor'] as const) {
        sum[stage].enrolled += row[stage].enrolled;
        sum[stage].dropouts += row[stage].dropouts;
      }
    expect(sum).toEqual(figuresOf(answer.total));
    return answer;
  }

  const row = (answer: StatsResponse, code: string) => {
    const found = answer.rows.find((r) => r.code === code);
    if (!found) throw new Error(`no row ${code} in ${answer.rows.map((r) => `${r.code} ${r.name}`).join(', ')}`);
    return found;
  };

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [admin, supervisor, leader, schoolStaff] = await Promise.all(
      ['county-admin', 'supervisor', 'township-leader', 'school-staff'].map((account) => signInAs(server, account)),
    );
    schoolYear = schoolYearOf(new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10));
  }, 30_000);
  afterAll(async () => server?.close());

  it('count every dropout child once, wherever its record came from, at village, township, county and school level', async () => {
    // the roster: pupils in two townships, one whose village the school does not know
    const born = (grade: number) => `${schoolYear - 5 - grade}-03-15`;
    const pupils = [
      { name: '周小雨', grade: 2, school: SHILI_PRIMARY, village: WUMING },
      { name: '吴天佑', grade: 3, school: SHILI_PRIMARY, village: LIYAN },
      { name: '郑一鸣', grade: 8, school: SHILI_JUNIOR, village: WUMING },
      { name: '陈无村', grade: 5, school: SHILI_PRIMARY, village: '' },
      { name: '黄寨河', grade: 4, school: ZHAIHE_PRIMARY, village: ZHANGWEIZI },
      { name: '孙贫困', grade: 6, school: SHILI_PRIMARY, village: WUMING },
      { name: '杨两案', grade: 7, school: SHILI_JUNIOR, village: LIYAN },
    ].map((p) => ({ ...p, id: idNumberFor(born(p.grade)) }));
    const imported = await importRegistry(
      server,
      admin,
      'roster',
      await xlsx(
        ROSTER_HEADER,
        pupils.map((p) => [`G${p.id}`, p.name, '男', p.id, p.school, String(p.grade), '', '否', p.village, '', '', '']),
      ),
    );
    expect(imported).toMatchObject({ status: 'completed', errors: [] });
    const pupil = (name: string) => pupils.find((p) => p.name === name)!;
    await flag(await manager().findOneByOrFail(Child, { idNumber: pupil('孙贫困').id }), ['registered_poor']);

    // tips about rostered pupils land on them
    const onRoster = async (name: string, divisionCode: string | null) => {
      const found = await tip({ name, sex: 'male', idNumber: pupil(name).id, age: null }, divisionCode);
      expect(found.child.studentNumber).toBe(`G${pupil(name).id}`);
      return found;
    };
    await confirm((await onRoster('周小雨', WUMING)).caseId);
    // named only down to the township: he stays without a village, placed by his school's township
    const withoutVillage = await onRoster('陈无村', SHILI);
    expect(withoutVillage.child.villageCode).toBeNull();
    await confirm(withoutVillage.caseId);
    await confirm((await onRoster('孙贫困', WUMING)).caseId);
    // two cases in the school year: dropped out, returned and closed, dropped out again
    const first = await onRoster('杨两案', LIYAN);
    await confirm(first.caseId);
    await close(first.caseId);
    const second = await onRoster('杨两案', LIYAN);
    expect(second.caseId).not.toBe(first.caseId);
    expect(second.child.id).toBe(first.child.id);
    await confirm(second.caseId);

    // children known only from tips: an age, no grade (ages chosen so the stage is the same whichever
    // term the test runs in); some with no village, one with no township
    const known = await tip({ name: '林小草', age: 10 }, WUMING);
    expect(known.child).toMatchObject({ grade: null, birthYearExact: false, countyCode: COUNTY });
    await confirm(known.caseId);
    const townshipOnly = await tip({ name: '马无村', age: 13 }, SHILI);
    expect(townshipOnly.child).toMatchObject({ villageCode: null, schoolId: null, countyCode: COUNTY });
    await confirm(townshipOnly.caseId);
    // known by ID number and township only, reported in one township and then in another
    const movedId = idNumberFor(born(4));
    const movedFirst = await tip({ name: '崔两乡', sex: 'male', idNumber: movedId, age: null }, ZHAIHE);
    await confirm(movedFirst.caseId, new Date(server.clock.now().getTime() - 3_600_000));
    await close(movedFirst.caseId);
    const movedLater = await tip({ name: '崔两乡', sex: 'male', idNumber: movedId, age: null }, SHILI);
    expect(movedLater.child).toMatchObject({ id: movedFirst.child.id, villageCode: null, schoolId: null, grade: null });
    await confirm(movedLater.caseId);
    const nowhere = await tip({ name: '何无乡', age: 8 }, null);
    expect(nowhere.child).toMatchObject({ villageCode: null, countyCode: COUNTY });
    await confirm(nowhere.caseId);
    // living in 十里镇 by the tip, last at school in 寨河镇: placed by the school (the child's own record)
    const zhaiheSchool = await manager().findOneByOrFail(School, { name: ZHAIHE_PRIMARY });
    const schooled = await tip({ name: '许校外', age: 11, lastSchoolId: zhaiheSchool.id }, SHILI);
    expect(schooled.child).toMatchObject({ villageCode: null, schoolId: zhaiheSchool.id });
    await confirm(schooled.caseId);
    // a poor-household child of 寨河镇, where no poor-household pupil is enrolled
    const poor = await tip({ name: '宋寨贫', age: 9 }, ZHANGWEIZI);
    await flag(poor.child, ['monitored']);
    await confirm(poor.caseId);
    // not counted: over compulsory age, not confirmed, confirmed in the year before, merged into another case
    await confirm((await tip({ name: '高超龄', age: 17 }, WUMING)).caseId);
    await tip({ name: '未核实', age: 10 }, WUMING);
    await confirm((await tip({ name: '去年辍', age: 10 }, LIYAN)).caseId, new Date(`${schoolYear}-08-20T02:00:00Z`));
    const survivor = await tip({ name: '刘洋', age: 11 }, LIYAN);
    const duplicate = await tip({ name: '刘阳', age: 11 }, LIYAN);
    expect(duplicate.child.id).not.toBe(survivor.child.id);
    await confirm(survivor.caseId);
    await confirm(duplicate.caseId);
    const merged = await admin.post(`/cases/${duplicate.caseId}/merge`, { intoCaseId: survivor.caseId, reason: '同一个孩子，名字写错' });
    expect(merged.status).toBe(200);

    const villages = await expectRecounted(admin, 'village');
    const townships = await expectRecounted(admin, 'township');
    const schools = await expectRecounted(admin, 'school');
    const county = figuresOf(townships.total);
    expect(figuresOf(villages.total)).toEqual(county);
    expect(figuresOf(schools.total)).toEqual(county);
    // counted once each: 周小雨, 陈无村, 孙贫困, 林小草, 许校外, 宋寨贫, 刘洋, 何无乡, 崔两乡 (primary); 杨两案, 马无村 (junior)
    expect(county.primary.dropouts).toBe(9);
    expect(county.junior.dropouts).toBe(2);
    expect(county.poor).toEqual({ enrolled: 1, dropouts: 2 });

    // children known no lower than a township or the county have rows of their own
    expect(row(villages, SHILI)).toMatchObject({ name: '十里镇（未落实到村）' });
    expect(row(villages, SHILI).primary.dropouts).toBe(2); // 陈无村, by his school; 崔两乡, by his latest case
    expect(row(villages, SHILI).junior.dropouts).toBe(1); // 马无村, by her case
    expect(row(villages, SHILI).primary.enrolled).toBe(1);
    expect(row(villages, COUNTY)).toMatchObject({ name: '未落实到乡镇' });
    expect(row(villages, COUNTY).primary.dropouts).toBe(1); // 何无乡
    expect(row(townships, COUNTY)).toMatchObject({ name: '未落实到乡镇' });
    expect(row(villages, LIYAN).junior.dropouts).toBe(1); // 杨两案, two cases
    expect(row(villages, LIYAN).primary.dropouts).toBe(1); // 刘洋; 刘阳's case was merged, 去年辍 is last year's
    expect(row(schools, COUNTY)).toMatchObject({ name: '学校不详' });
    expect(row(schools, zhaiheSchool.id).primary.dropouts).toBe(1); // 许校外
    expect(schools.rows.at(-1)!.code).toBe(COUNTY); // listed last
    expect(villages.rows.at(-1)!.code).toBe(COUNTY);

    // a level below equals its row above: the township's own answer, and a school's own answer
    const shili = await expectRecounted(leader, 'village', undefined, SHILI);
    expect(figuresOf(shili.total)).toEqual(figuresOf(row(townships, SHILI)));
    expect(row(shili, SHILI)).toMatchObject({ name: '未落实到村' });
    const byAdmin = await expectRecounted(admin, 'village', SHILI);
    expect(byAdmin.rows).toEqual(shili.rows);
    const zhaihe = await expectRecounted(admin, 'village', ZHAIHE);
    expect(figuresOf(zhaihe.total)).toEqual(figuresOf(row(townships, ZHAIHE)));
    const wuming = await expectRecounted(admin, 'village', WUMING);
    expect(figuresOf(wuming.total)).toEqual(figuresOf(row(villages, WUMING)));
    const school = await stats(schoolStaff, 'school');
    const shiliPrimary = await manager().findOneByOrFail(School, { name: SHILI_PRIMARY });
    expect(figuresOf(school.total)).toEqual(figuresOf(row(schools, shiliPrimary.id)));
    expect(school.total.primary.dropouts).toBe(3); // 周小雨, 陈无村, 孙贫困
  });

  it('show a group with a zero target red at its first dropout, even with nobody of the group enrolled', async () => {
    const townships = await stats(admin, 'township');
    expect(row(townships, ZHAIHE).poor).toMatchObject({ enrolled: 0, dropouts: 1, target: 0, rag: 'red' });
    const villages = await stats(admin, 'village');
    expect(row(villages, ZHANGWEIZI).poor).toMatchObject({ enrolled: 0, dropouts: 1, rag: 'red' });
    // a primary stage with dropouts and no pupil enrolled has no rate either, and is red too
    expect(row(villages, COUNTY).primary).toMatchObject({ enrolled: 0, dropouts: 1, rag: 'red' });
    expect(townships.total.poor).toMatchObject({ enrolled: 1, dropouts: 2, rag: 'red' });

    const response = await fetch(`${server.apiUrl}/stats/export?schoolYear=${schoolYear}&by=township`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('辍学率')!;
    const cells = new Map<string, string[]>();
    sheet.eachRow((r) => {
      const values = (r.values as unknown[]).slice(1).map((v) => String(v ?? ''));
      cells.set(values[0]!, values);
    });
    expect(cells.get('寨河镇')!.slice(7)).toEqual(['0', '1', '—（超标）']);
    expect(cells.get('未落实到乡镇')).toBeDefined();
  });
});
