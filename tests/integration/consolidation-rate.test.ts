import {
  chinaDay,
  idNumberCheckCharacter,
  schoolYearOf,
  type ApiErrorBody,
  type IntakeView,
  type PupilChangeView,
  type StatsResponse,
} from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { Division } from '../../server/src/modules/divisions/division.entity';
import { CohortIntake } from '../../server/src/modules/registry/registry.entities';
import { School } from '../../server/src/modules/schools/school.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_JUNIOR, download, schoolByName } from '../support/pupils';
import { importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';

/**
 * 巩固率 (BRIEF §5, issue 18 part 3) on a generated cohort with a known answer, in a county of its
 * own (罗山县): the county enters the grade-1 intake of the cohort graduating this school year, its
 * roster is imported with grade-9 pupils, and 学籍异动 move some of them out of, into and within the
 * county. The rate, its parts and the township figures equal the hand-computed values and a recount
 * from the tables. On SQLite and MariaDB.
 */
describe('consolidation rate (巩固率)', () => {
  const T1 = OTHER_COUNTY.township; // 周党镇
  const V1 = OTHER_COUNTY.village;
  const T2 = '411521101000'; // 彭新镇
  const V2 = '411521101001';
  const J1 = '罗山县周党镇初级中学';
  const J2 = '罗山县彭新镇初级中学';

  let server: TestServer;
  let admin: ApiClient;
  let demoAdmin: ApiClient;
  let staff1: ApiClient;
  let staff2: ApiClient;
  let demoStaff: ApiClient;
  let leader: ApiClient;
  let j1: string;
  let j2: string;
  let schoolYear: number;
  let entryYear: number;

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());
  const put = (client: ApiClient, year: number | string, body: Record<string, unknown>) =>
    client.request<IntakeView>('PUT', `/stats/intakes/${year}`, body);
  const stats = async (client: ApiClient = admin, year = schoolYear, under?: string) => {
    const response = await client.get<StatsResponse>(`/stats/dropout?schoolYear=${year}${under ? `&under=${under}` : ''}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const pupilId = (n: number, male = true) => {
    const first17 = `411521${schoolYear - 14}0301${String(n).padStart(2, '0')}${male ? 1 : 2}`;
    return first17 + idNumberCheckCharacter(first17);
  };
  const childOf = async (n: number) => manager().findOneByOrFail(Child, { idNumber: pupilId(n) });
  const record = (client: ApiClient, body: Record<string, unknown>) =>
    client.post<PupilChangeView>('/pupil-changes', { effectiveOn: today(), reason: '随父母外出务工', ...body });

  beforeAll(async () => {
    server = await startTestServer();
    schoolYear = schoolYearOf(today());
    entryYear = schoolYear - 8;
    await seedOtherCounty(server.dataSource);
    await manager().insert(Division, [
      { code: T2, name: '彭新镇', level: 'township', parentCode: OTHER_COUNTY.code },
      { code: V2, name: '彭新村民委员会', level: 'village', parentCode: T2 },
    ]);
    [j1, j2] = [newId(), newId()];
    await manager().insert(School, [
      { id: j1, name: J1, stage: 'junior', code: null, countyCode: OTHER_COUNTY.code, townshipCode: T1, villageCode: null, address: null },
      { id: j2, name: J2, stage: 'junior', code: null, countyCode: OTHER_COUNTY.code, townshipCode: T2, villageCode: null, address: null },
    ]);
    const demoJunior = (await schoolByName(server.dataSource, DEMO_JUNIOR)).id;
    const users = await Promise.all([
      createUser(server.dataSource, { role: 'county_admin', countyCode: OTHER_COUNTY.code, displayName: '罗山县教育局' }),
      createUser(server.dataSource, { role: 'official', position: 'school_staff', unitSchoolId: j1, countyCode: OTHER_COUNTY.code }),
      createUser(server.dataSource, { role: 'official', position: 'school_staff', unitSchoolId: j2, countyCode: OTHER_COUNTY.code }),
      createUser(server.dataSource, { role: 'official', position: 'school_staff', unitSchoolId: demoJunior, countyCode: DEMO_COUNTY }),
    ]);
    [admin, staff1, staff2, demoStaff] = await Promise.all(users.map((user) => clientFor(server, user)));
    [demoAdmin, leader] = await Promise.all([signInAs(server, 'county-admin'), signInAs(server, 'township-leader')]);

    // the roster: pupils 1–10 in grade 9 at J1 living in V1, 11 in grade 9 at J1 with no village,
    // 12 in grade 8 at J1 (another cohort), 21–26 in grade 9 at J2 living in V2
    const row = (n: number, school: string, grade: string, village: string) => {
      const id = pupilId(n);
      return [`G${id}`, `学生${n}`, '男', id, school, grade, '1班', '否', village, '', '', ''];
    };
    const rows = [
      ...Array.from({ length: 10 }, (_, i) => row(i + 1, J1, '9', V1)),
      row(11, J1, '9', ''),
      row(12, J1, '8', V1),
      ...Array.from({ length: 6 }, (_, i) => row(i + 21, J2, '9', V2)),
    ];
    expect(await importRegistry(server, admin, 'roster', await xlsx(ROSTER_HEADER, rows))).toMatchObject({
      status: 'completed',
      errors: [],
    });
    // a grade-9 pupil of the demo county, who transfers in
    await createPupil(server.dataSource, {
      name: '转入生',
      schoolId: demoJunior,
      grade: 9,
      className: '1班',
      birthDate: `${schoolYear - 14}-06-01`,
    });
  });
  afterAll(async () => server?.close());

  it('has no rate, and says why, until the county enters the intake', async () => {
    const { consolidation } = await stats();
    expect(consolidation).toMatchObject({ graduatingYear: schoolYear, entryYear, source: null, rows: [] });
    expect(consolidation.total).toMatchObject({ graduates: 11 + 6, intake: null, rate: null, rag: null, gap: 'no_intake' });
    expect(consolidation.total.gapLabel).toBe('未填报该届一年级入学人数');
  });

  it('computes the cohort rate from the intake, the grade-9 roster and the transfers in and out', async () => {
    const saved = await put(admin, entryYear, {
      intake: 20,
      source: `${entryYear}年教育事业统计年报`,
      townships: [
        { code: T1, intake: 12 },
        { code: T2, intake: 7 },
      ],
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      entryYear,
      graduatingYear: schoolYear,
      intake: 20,
      townships: [
        { code: T1, name: '周党镇', intake: 12 },
        { code: T2, intake: 7 },
      ],
    });

    // two grade-9 pupils of V1 move away; a grade-8 pupil moves away too (another cohort)
    for (const n of [1, 2, 12]) {
      const moved = await record(staff1, { childId: (await childOf(n)).id, kind: 'moved_away', destination: '广东省东莞市' });
      expect(moved.status).toBe(201);
    }
    // a demo-county grade-9 pupil transfers in to J2
    const incoming = await manager().findOneByOrFail(Child, { name: '转入生' });
    const transferIn = await record(demoStaff, { childId: incoming.id, kind: 'transfer_out', toSchoolId: j2 });
    expect(transferIn.status).toBe(201);
    expect((await staff2.post(`/pupil-changes/${transferIn.body.id}/confirm`, { approve: true })).status).toBe(200);
    // within the county: a V2 pupil to J1 (lives in T2 still), and the pupil with no village from J1 to J2 (T1 → T2)
    for (const [n, from, to] of [
      [21, staff2, j1],
      [11, staff1, j2],
    ] as const) {
      const sent = await record(from, { childId: (await childOf(n)).id, kind: 'transfer_out', toSchoolId: to });
      expect(sent.status).toBe(201);
      const receiver = to === j1 ? staff1 : staff2;
      expect((await receiver.post(`/pupil-changes/${sent.body.id}/confirm`, { approve: true })).status).toBe(200);
    }

    const { consolidation } = await stats();
    // by hand: grade 9 = 8 (V1) + 1 (no village, now at J2) + 6 (V2) + 1 (transferred in) = 16;
    // county: 20 + 1 in − 2 out = 19 → 16/19; T1: 8 ÷ (12 − 2 moved − 1 to T2) = 8/9; T2: 8 ÷ (7 + 1 + 1) = 8/9
    expect(consolidation.source).toBe(`${entryYear}年教育事业统计年报`);
    expect(consolidation.total).toMatchObject({ graduates: 16, intake: 20, transfersIn: 1, transfersOut: 2, gap: null, rag: 'red' });
    expect(consolidation.total.rate).toBeCloseTo(16 / 19, 10);
    expect(consolidation.total.formula).toBe('九年级在籍 16 ÷（一年级入学 20 + 转入 1 − 转出 2） = 84.2%');
    expect(consolidation.rows.map((r) => [r.code, r.graduates, r.intake, r.transfersIn, r.transfersOut])).toEqual([
      [T1, 8, 12, 0, 3],
      [T2, 8, 7, 2, 0],
    ]);
    expect(consolidation.rows[0]!.rate).toBeCloseTo(8 / 9, 10);
    expect(consolidation.rows[1]!.rate).toBeCloseTo(8 / 9, 10);

    // a recount from the tables: the roster's grade-9 pupils and the effective changes of this cohort
    const [{ n: onRoster }] = (await manager().query(
      'SELECT COUNT(*) AS n FROM children WHERE county_code = ? AND grade = 9 AND school_id IS NOT NULL AND merged_into_id IS NULL',
      [OTHER_COUNTY.code],
    )) as [{ n: number | string }];
    expect(Number(onRoster)).toBe(consolidation.total.graduates);
    const changes = (await manager().query(
      "SELECT pc.kind, pc.county_code AS from_county, s.county_code AS to_county FROM pupil_changes pc LEFT JOIN schools s ON s.id = pc.to_school_id WHERE pc.status = 'effective' AND pc.from_grade = 9",
    )) as Array<{ kind: string; from_county: string; to_county: string | null }>;
    const inside = (code: string | null) => code === OTHER_COUNTY.code;
    expect(changes.filter((c) => !inside(c.from_county) && inside(c.to_county)).length).toBe(consolidation.total.transfersIn);
    expect(changes.filter((c) => inside(c.from_county) && !inside(c.to_county)).length).toBe(consolidation.total.transfersOut);

    // a township official of the county's township sees the township's own figure
    const townshipLeader = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'official', position: 'leader', unitDivisionCode: T2, countyCode: OTHER_COUNTY.code }),
    );
    const township = (await stats(townshipLeader)).consolidation;
    expect(township.total).toMatchObject({ code: T2, graduates: 8, intake: 7, transfersIn: 2, transfersOut: 0 });
    expect(township.rows).toEqual([]);

    // the demo county lost the pupil who transferred out, and has no intake entered
    expect((await stats(demoAdmin)).consolidation.total).toMatchObject({ transfersOut: 1, rate: null, gap: 'no_intake' });
  });

  it('shows the rate in the .xlsx export beside the dropout rates', async () => {
    const file = await download(server, admin.token, `/stats/export?schoolYear=${schoolYear}`);
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('巩固率')!;
    const lines: string[] = [];
    sheet.eachRow((row) => lines.push((row.values as unknown[]).slice(1).join('|')));
    expect(lines).toContain(`罗山县（合计）|16|20|1|2|84.2%（未达标）|九年级在籍 16 ÷（一年级入学 20 + 转入 1 − 转出 2） = 84.2%`);
    expect(lines).toContain('周党镇|8|12|0|3|88.9%（未达标）|九年级在籍 8 ÷（一年级入学 12 + 转入 0 − 转出 3） = 88.9%');
    expect(lines.some((line) => line.includes(`${entryYear}年教育事业统计年报`))).toBe(true);
  });

  it('has no grade-9 count for a school year the roster does not hold', async () => {
    expect((await put(admin, entryYear - 1, { intake: 30, source: '教育事业统计年报' })).status).toBe(200);
    const earlier = (await stats(admin, schoolYear - 1)).consolidation.total;
    expect(earlier).toMatchObject({ intake: 30, graduates: null, rate: null, gap: 'no_roster' });
  });

  it('keeps one row per county and year when the county corrects a figure, audited, even under parallel writes', async () => {
    const year = entryYear - 2;
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => put(admin, year, { intake: 100 + i, source: `年报第${i}版` })));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const rows = await manager().findBy(CohortIntake, { countyCode: OTHER_COUNTY.code, entryYear: year });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toBe(`年报第${rows[0]!.intake - 100}版`);
    expect(await manager().countBy(AuditEntry, { action: 'stats.intake', targetId: OTHER_COUNTY.code })).toBeGreaterThanOrEqual(10);
    const list = await admin.get<{ items: IntakeView[] }>('/stats/intakes');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i) => i.entryYear)).toEqual([entryYear, entryYear - 1, year]);
    // each county reads its own
    expect((await demoAdmin.get<{ items: IntakeView[] }>('/stats/intakes')).body.items).toEqual([]);
  });

  it('refuses bad input with the field named in Chinese', async () => {
    const fields = async (year: number | string, body: Record<string, unknown>) =>
      expectError(await put(admin, year, body), 400, 'VALIDATION_FAILED').fields as ApiErrorBody['fields'];
    expect(await fields(entryYear, { intake: -1, source: '年报' })).toMatchObject({ intake: '一年级入学人数不能为负数' });
    expect(await fields(entryYear, { intake: 1.5, source: '年报' })).toHaveProperty('intake');
    expect(await fields(1990, { intake: 10, source: '年报' })).toMatchObject({ entryYear: '入学学年不能早于2000年' });
    expect(await fields(schoolYear + 1, { intake: 10, source: '年报' })).toMatchObject({
      entryYear: `入学学年不能晚于本学年（${schoolYear}学年）`,
    });
    expect(await fields(entryYear, { intake: 10, source: '年'.repeat(101) })).toMatchObject({ source: '数据来源最多100字' });
    expect(await fields(entryYear, { intake: 10 })).toHaveProperty('source');
    expect(await fields(entryYear, { intake: 10, source: '年报', townships: [{ code: '411522101000', intake: 5 }] })).toMatchObject({
      'townships.0.code': '不是本县的乡镇',
    });
    expect(
      await fields(entryYear, {
        intake: 10,
        source: '年报',
        townships: [
          { code: T1, intake: 6 },
          { code: T2, intake: 5 },
        ],
      }),
    ).toHaveProperty('townships');
    // nothing was changed by the refusals
    expect((await manager().findOneByOrFail(CohortIntake, { countyCode: OTHER_COUNTY.code, entryYear })).intake).toBe(20);
  });

  it('lets only the county admin enter or read the intakes', async () => {
    for (const client of [leader, staff1]) {
      expectError(await put(client, entryYear, { intake: 1, source: '年报' }), 403, 'FORBIDDEN');
      expectError(await client.get('/stats/intakes'), 403, 'FORBIDDEN');
    }
    expect((await manager().findOneByOrFail(CohortIntake, { countyCode: OTHER_COUNTY.code, entryYear })).intake).toBe(20);
  });
});
