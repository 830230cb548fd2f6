import { ancestorDivisionCode, type CrosscheckRunView, type StatsResponse } from '@baoxue/shared';
import { In } from 'typeorm';
import { generateCounty, type GeneratedCounty } from '../../server/src/database/generator/county-generator';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { Division } from '../../server/src/modules/divisions/division.entity';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { School } from '../../server/src/modules/schools/school.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { ABSENCE_HEADER, csv, HOUSEHOLD_HEADER, importRegistry, POVERTY_HEADER, ROSTER_HEADER } from '../support/registry';
import { countyCalendar } from '../support/calendar';
import { startTestServer, type TestServer } from '../support/server';

const SCHOOL_YEAR = 2026;
const CHILDREN = 20_000;

function lastWeekday(now: Date): string {
  let day = new Date(now.getTime() + 8 * 3_600_000);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day = new Date(day.getTime() - 86_400_000);
  return day.toISOString().slice(0, 10);
}

describe('四查三比对 on a generated county of 20 000 children', () => {
  let server: TestServer;
  let admin: ApiClient;
  let county: GeneratedCounty;
  let run: CrosscheckRunView;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
    const villages = await server.dataSource.manager.find(Division, { where: { level: 'village' } });
    const schools = await server.dataSource.manager.find(School);
    county = generateCounty({
      seed: 20261123,
      children: CHILDREN,
      schoolYear: SCHOOL_YEAR,
      villages: villages.map((v) => ({ code: v.code, township: v.parentCode! })),
      schools: schools.map((s) => ({ id: s.id, name: s.name, townshipCode: s.townshipCode, stage: s.stage })),
      lastSchoolDay: lastWeekday(server.clock.now()),
      // the county's school days, as the absence monitor counts them (holidays, vacations)
      calendar: await countyCalendar(server),
    });
    const imports = [
      [
        'household',
        csv(
          HOUSEHOLD_HEADER,
          county.households.map((c) => [c.idNumber, c.name, c.villageCode, c.guardianName, c.guardianPhone]),
        ),
      ],
      [
        'roster',
        csv(
          ROSTER_HEADER,
          county.roster.map((p) => [
            p.studentNumber,
            p.name,
            p.sex === 'male' ? '男' : '女',
            p.idNumber,
            p.school,
            String(p.grade),
            '',
            p.boarding ? '是' : '否',
            p.villageCode,
            '',
            '',
            '',
          ]),
        ),
      ],
      [
        'poverty',
        csv(
          POVERTY_HEADER,
          county.poverty.map((p) => [p.idNumber, p.name, p.category, '']),
        ),
      ],
      [
        'absence',
        csv(
          ABSENCE_HEADER,
          county.absences.map((a) => [a.studentNumber, a.day, a.excused ? '是' : '否']),
        ),
      ],
    ] as const;
    for (const [kind, file] of imports) {
      const result = await importRegistry(server, admin, kind, file, `${kind}.csv`);
      if (result.status !== 'completed') throw new Error(`${kind}: ${JSON.stringify(result.errors.slice(0, 3))}`);
    }
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: SCHOOL_YEAR });
    await server.app.get(CrosscheckService).settled(started.body.id);
    run = (await admin.get<CrosscheckRunView>(`/crosscheck/runs/${started.body.id}`)).body;
  }, 300_000);
  afterAll(async () => server?.close());

  const casesBySource = async (source: string) => {
    const cases = await server.dataSource.manager.findBy(DropoutCase, { source: source as never });
    const children = await server.dataSource.manager.findBy(Child, { id: In(cases.map((c) => c.childId)) });
    return { cases, children };
  };

  it('has planted truths worth finding', () => {
    expect(county.households.length).toBe(CHILDREN);
    expect(county.truth.notEnrolled.length).toBeGreaterThan(100);
    expect(county.truth.absentByRule.length).toBeGreaterThan(30);
    expect(county.truth.nearDuplicates.length).toBeGreaterThan(10);
  });

  it('finds exactly the children of school age who are on no roster, and routes each to its township', async () => {
    expect(run.status).toBe('completed');
    expect(run.counts.notEnrolled).toBe(county.truth.notEnrolled.length);
    const { cases, children } = await casesBySource('cross_check');
    expect(children.map((c) => c.idNumber).sort()).toEqual([...county.truth.notEnrolled].sort());
    const villageOf = new Map(county.households.map((h) => [h.idNumber, h.villageCode]));
    for (const c of cases) {
      const child = children.find((ch) => ch.id === c.childId)!;
      expect(c.townshipCode).toBe(ancestorDivisionCode(villageOf.get(child.idNumber!)!, 'township'));
    }
    expect(run.counts.matchedById + run.counts.matchedByName + run.counts.review + run.counts.notEnrolled).toBe(
      run.counts.householdChecked,
    );
  });

  it('puts the near-duplicate names in the review list instead of opening cases', async () => {
    expect(run.counts.review).toBe(county.truth.nearDuplicates.length);
    const reviews = await admin.get<{
      items: Array<{ id: string; pupil: { studentNumberMasked: string }; reason: string }>;
      nextCursor: string | null;
    }>('/crosscheck/reviews?limit=100');
    expect(reviews.body.items.length).toBe(county.truth.nearDuplicates.length);
    expect(reviews.body.items.every((r) => r.reason === '出生日期和村相同，姓名相差一个字')).toBe(true);
  });

  it('finds exactly the pupils absent by the rules, and opens one case each', async () => {
    expect(run.counts.absent + run.counts.alreadyFollowed).toBeGreaterThanOrEqual(county.truth.absentByRule.length);
    const { children } = await casesBySource('absence');
    expect(children.map((c) => c.studentNumber).sort()).toEqual([...county.truth.absentByRule].sort());
  });

  it('flags the children of poor households', async () => {
    const flagged = await server.dataSource.manager
      .createQueryBuilder(Child, 'c')
      .where("c.priority_groups LIKE '%registered_poor%' OR c.priority_groups LIKE '%monitored%' OR c.priority_groups LIKE '%subsistence%'")
      .getMany();
    const pupils = new Set(flagged.map((c) => c.studentNumber).filter(Boolean));
    for (const studentNumber of county.truth.poorPupils) expect(pupils.has(studentNumber)).toBe(true);
  });

  it('never opens a second case for the same child when run again', async () => {
    const before = await server.dataSource.manager.count(DropoutCase);
    const again = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: SCHOOL_YEAR });
    await server.app.get(CrosscheckService).settled(again.body.id);
    const second = (await admin.get<CrosscheckRunView>(`/crosscheck/runs/${again.body.id}`)).body;
    expect(second.counts).toMatchObject({ notEnrolled: 0, absent: 0 });
    expect(await server.dataSource.manager.count(DropoutCase)).toBe(before);
  });

  it('opens a case when an official says a review pair is not the same child, and none when it is', async () => {
    const reviews = await admin.get<{ items: Array<{ id: string }> }>('/crosscheck/reviews?limit=100');
    const [different, same] = reviews.body.items;
    const before = await server.dataSource.manager.countBy(DropoutCase, { source: 'cross_check' });
    expect((await admin.post(`/crosscheck/reviews/${different!.id}`, { decision: 'different' })).status).toBe(200);
    expect((await admin.post(`/crosscheck/reviews/${same!.id}`, { decision: 'same' })).status).toBe(200);
    expect(await server.dataSource.manager.countBy(DropoutCase, { source: 'cross_check' })).toBe(before + 1);
    expectError(await admin.post(`/crosscheck/reviews/${same!.id}`, { decision: 'different' }), 409, 'CROSSCHECK_REVIEW_DECIDED');
    const pending = await admin.get<{ items: unknown[] }>('/crosscheck/reviews?limit=100');
    expect(pending.body.items.length).toBe(reviews.body.items.length - 2);
  });

  it('computes dropout rates per stage and township that equal a count by hand', async () => {
    // confirm some of the cases as real dropouts this school year
    const absentCases = await server.dataSource.manager.findBy(DropoutCase, { source: 'absence' });
    const confirmed = absentCases.slice(0, 12);
    for (const c of confirmed) {
      await server.dataSource.manager.update(
        DropoutCase,
        { id: c.id },
        { status: 'confirmed', confirmedAt: new Date(`${SCHOOL_YEAR}-11-01T02:00:00Z`) },
      );
    }
    const stats = (await admin.get<StatsResponse>(`/stats/dropout?schoolYear=${SCHOOL_YEAR}&by=township`)).body;
    // by hand, from the generator's roster and the confirmed children
    const confirmedChildren = await server.dataSource.manager.findBy(Child, { id: In(confirmed.map((c) => c.childId)) });
    // the poor-household target covers 脱贫户 and 监测户 (not 低保 alone)
    const poorSet = new Set(county.poverty.filter((p) => p.category !== '低保').map((p) => p.idNumber));
    const expected = new Map<string, { pe: number; je: number; oe: number; pd: number; jd: number; od: number }>();
    const bucket = (village: string) => {
      const township = ancestorDivisionCode(village, 'township')!;
      if (!expected.has(township)) expected.set(township, { pe: 0, je: 0, oe: 0, pd: 0, jd: 0, od: 0 });
      return expected.get(township)!;
    };
    for (const p of county.roster) {
      const b = bucket(p.villageCode);
      if (p.grade <= 6) b.pe++;
      else b.je++;
      if (p.idNumber && poorSet.has(p.idNumber)) b.oe++;
    }
    for (const child of confirmedChildren) {
      const b = bucket(child.villageCode!);
      if (child.grade! <= 6) b.pd++;
      else b.jd++;
      if (child.idNumber && poorSet.has(child.idNumber)) b.od++;
    }
    const totals = [...expected.values()].reduce((t, b) => ({
      pe: t.pe + b.pe,
      je: t.je + b.je,
      oe: t.oe + b.oe,
      pd: t.pd + b.pd,
      jd: t.jd + b.jd,
      od: t.od + b.od,
    }));
    expect(stats.total.primary).toMatchObject({ enrolled: totals.pe, dropouts: totals.pd, rate: totals.pd / totals.pe });
    expect(stats.total.junior).toMatchObject({ enrolled: totals.je, dropouts: totals.jd, rate: totals.jd / totals.je });
    expect(stats.total.poor).toMatchObject({ enrolled: totals.oe, dropouts: totals.od });
    for (const row of stats.rows) {
      const b = expected.get(row.code)!;
      expect({
        code: row.code,
        pe: row.primary.enrolled,
        pd: row.primary.dropouts,
        je: row.junior.enrolled,
        jd: row.junior.dropouts,
      }).toEqual({ code: row.code, pe: b.pe, pd: b.pd, je: b.je, jd: b.jd });
      expect(row.primary.rag).toBe(row.primary.rate <= 0.006 ? 'green' : row.primary.rate <= 0.009 ? 'amber' : 'red');
    }
    expect(stats.rows).toHaveLength(19);
    expect(stats.cases.open).toBeGreaterThan(0);
  });

  it('shows a township its own figures only', async () => {
    const cadre = await signInAs(server, 'township-cadre');
    const response0 = await cadre.get<StatsResponse>(`/stats/dropout?schoolYear=${SCHOOL_YEAR}&by=village`);
    expect(response0.status).toBe(200);
    const own = response0.body;
    expect(own.unitName).toBe('光山县 十里镇');
    expect(own.rows.every((r) => r.code.startsWith('411522101'))).toBe(true);
    expectError(await cadre.get(`/stats/dropout?schoolYear=${SCHOOL_YEAR}&under=411522102000`), 403, 'FORBIDDEN');
    const response = await fetch(`${server.apiUrl}/stats/export?schoolYear=${SCHOOL_YEAR}`, {
      headers: { authorization: `Bearer ${cadre.token}` },
    });
    expect(response.status).toBe(200);
  });
});
