import { chinaDay, idNumberCheckCharacter, schoolYearOf, type PupilChangeView, type StatsResponse } from '@baoxue/shared';
import { standaloneChildMerges } from '../../server/src/database/migrations/child-merges';
import { snapshotTransaction } from '../../server/src/database/transaction';
import { Child } from '../../server/src/modules/children/child.entity';
import { repairChildRecords } from '../../server/src/modules/children/child-repair';
import { ChildRecords } from '../../server/src/modules/children/child-records';
import { EnrolmentTallyChange } from '../../server/src/modules/registry/registry.entities';
import { EnrolmentTallyService, RECOUNT_TURN } from '../../server/src/modules/registry/enrolment-tally.service';
import { takeTurn } from '../../server/src/common/quota/quota';
import { signInAs, type ApiClient } from '../support/api';
import { currentDatabaseKind } from '../support/database';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The enrolment tallies recount only the counties whose pupils changed (issue 19: a province's
 * statistics must not count every pupil of every county again after one pupil's change). Each write
 * path names the county it touched — a transfer both counties — and a write that cannot tell still
 * recounts everything. The figures are checked against a count of the pupils themselves.
 */
describe('enrolment tallies: recounting the counties that changed', () => {
  let server: TestServer;
  let demoAdmin: ApiClient;
  let otherAdmin: ApiClient;
  let sending: ApiClient;
  let receiving: ApiClient;
  let demoSchoolId: string;
  let otherSchoolId: string;
  let schoolYear: number;

  const manager = () => server.dataSource.manager;
  const enrolled = async (admin: ApiClient): Promise<number> => {
    const response = await admin.get<StatsResponse>(`/stats/dropout?schoolYear=${schoolYear}`);
    expect(response.status).toBe(200);
    return response.body.total.primary.enrolled + response.body.total.junior.enrolled;
  };
  /** Pupils of a county as the tallies count them, counted from the records themselves. */
  const recount = async (county: string): Promise<number> => {
    const [row] = (await manager().query(
      'SELECT COUNT(*) AS n FROM children WHERE county_code = ? AND student_number IS NOT NULL AND grade IS NOT NULL',
      [county],
    )) as [{ n: number | string }];
    return Number(row.n);
  };
  /** The counties the change rows not yet counted name (null: every county). */
  const pendingCounties = async () =>
    [...new Set((await manager().find(EnrolmentTallyChange)).map((change) => change.countyCode))].sort((a, b) =>
      String(a).localeCompare(String(b)),
    );
  /** Adds to a county's stored tallies behind the product's back: only a recount of that county puts them right. */
  const skew = (county: string) =>
    manager().query('UPDATE enrolment_tallies SET pupils = pupils + 1000 WHERE county_code = ? AND grade = 3', [county]);

  beforeAll(async () => {
    server = await startTestServer();
    schoolYear = schoolYearOf(chinaDay(server.clock.now()));
    demoSchoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    otherSchoolId = (await seedOtherCounty(server.dataSource)).schoolId;
    for (const name of ['罗山甲', '罗山乙'])
      await createPupil(server.dataSource, {
        name,
        schoolId: otherSchoolId,
        grade: 3,
        countyCode: OTHER_COUNTY.code,
        villageCode: OTHER_COUNTY.village,
      });
    const official = (displayName: string, unitSchoolId: string, countyCode: string) =>
      createUser(server.dataSource, { role: 'official', position: 'school_staff', unitSchoolId, countyCode, displayName });
    const otherCountyAdmin = await createUser(server.dataSource, {
      role: 'county_admin',
      countyCode: OTHER_COUNTY.code,
      unitDivisionCode: OTHER_COUNTY.code,
    });
    [sending, receiving, otherAdmin] = await Promise.all(
      [
        await official('学籍管理员', demoSchoolId, DEMO_COUNTY),
        await official('罗山学籍员', otherSchoolId, OTHER_COUNTY.code),
        otherCountyAdmin,
      ].map((user) => clientFor(server, user)),
    );
    demoAdmin = await signInAs(server, 'county-admin');
  });
  afterAll(async () => server?.close());

  it('recount the county of a changed pupil alone, both counties of a transfer, and every county when a write cannot tell', async () => {
    // the first read counts everything (the migration's own change row names no county), the pupils written above too
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    expect(await enrolled(otherAdmin)).toBe(await recount(OTHER_COUNTY.code));
    expect(await pendingCounties()).toEqual([]);

    // one pupil of the demo county changes grade (学籍异动 as the pupil-changes module writes it)
    const pupil = await createPupil(server.dataSource, { name: '转县甲', schoolId: demoSchoolId, grade: 3, className: '1班' });
    await skew(OTHER_COUNTY.code);
    const skewedOther = await enrolled(otherAdmin);
    expect(skewedOther).toBe((await recount(OTHER_COUNTY.code)) + 1000);
    await server.dataSource.transaction((tx) => server.app.get(ChildRecords).setPlacement(tx, pupil.id, { grade: 4 }));
    expect(await pendingCounties()).toEqual([DEMO_COUNTY]);
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    // the other county was not counted again: its skewed tally stands
    expect(await enrolled(otherAdmin)).toBe(skewedOther);
    expect(await pendingCounties()).toEqual([]);

    // the pupil transfers to the other county's school: both counties are counted again
    const demoBefore = await enrolled(demoAdmin);
    const otherBefore = await recount(OTHER_COUNTY.code);
    const created = await sending.post<PupilChangeView>('/pupil-changes', {
      childId: pupil.id,
      kind: 'transfer_out',
      toSchoolId: otherSchoolId,
      effectiveOn: chinaDay(server.clock.now()),
      reason: '随父母迁居罗山县',
    });
    expect(created.status).toBe(201);
    expect(
      (await receiving.post<PupilChangeView>(`/pupil-changes/${created.body.id}/confirm`, { approve: true, className: '2班' })).body,
    ).toMatchObject({
      status: 'effective',
    });
    expect(await manager().findOneByOrFail(Child, { id: pupil.id })).toMatchObject({
      countyCode: OTHER_COUNTY.code,
      schoolId: otherSchoolId,
    });
    expect(await pendingCounties()).toEqual([OTHER_COUNTY.code, DEMO_COUNTY].sort());
    expect(await enrolled(demoAdmin)).toBe(demoBefore - 1);
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    // the skew is gone with the recount, and the pupil is counted where he is now
    expect(await enrolled(otherAdmin)).toBe(await recount(OTHER_COUNTY.code));
    expect(await enrolled(otherAdmin)).toBe(otherBefore + 1);

    // a write that does not say where the pupil was (a bare query-builder update): every county
    await skew(OTHER_COUNTY.code);
    await skew(DEMO_COUNTY);
    await manager().update(Child, { id: pupil.id }, { grade: 5 });
    expect(await pendingCounties()).toEqual([null]);
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    expect(await enrolled(otherAdmin)).toBe(await recount(OTHER_COUNTY.code));
  });

  it('recount the importing county alone after a roster import', async () => {
    await skew(OTHER_COUNTY.code);
    const skewedOther = await enrolled(otherAdmin);
    const before = await enrolled(demoAdmin);
    const rows = [
      ['导入甲', '男', '41152220150315123', '三年级'],
      ['导入乙', '女', '41152220140415124', '四年级'],
    ].map(([name, sex, first17, grade]) => {
      const id = first17! + idNumberCheckCharacter(first17!);
      return [`G${id}`, name, sex, id, DEMO_SCHOOL, grade, '', '否', '411522101203', '', '', ''];
    });
    expect(await importRegistry(server, demoAdmin, 'roster', await xlsx(ROSTER_HEADER, rows))).toMatchObject({
      status: 'completed',
      errors: [],
    });
    expect(await enrolled(demoAdmin)).toBe(before + 2);
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    expect(await enrolled(otherAdmin)).toBe(skewedOther);
  });

  it('count a pupil written before county codes once the repair gives it one, and recount only that county', async () => {
    const legacy = await createPupil(server.dataSource, { name: '旧学籍', schoolId: demoSchoolId, grade: 2, countyCode: null });
    expect(await pendingCounties()).toEqual([]);
    await skew(OTHER_COUNTY.code);
    const skewedOther = await enrolled(otherAdmin);
    const before = await enrolled(demoAdmin);
    const report = await snapshotTransaction(server.dataSource, (tx) => repairChildRecords(tx, standaloneChildMerges(server.dataSource)));
    expect(report.countiesSet).toBe(1);
    expect(await manager().findOneByOrFail(Child, { id: legacy.id })).toMatchObject({ countyCode: DEMO_COUNTY });
    expect(await pendingCounties()).toEqual([DEMO_COUNTY]);
    expect(await enrolled(demoAdmin)).toBe(before + 1);
    expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
    expect(await enrolled(otherAdmin)).toBe(skewedOther);
  });

  // SQLite runs one transaction at a time: two recounts cannot overlap there
  (currentDatabaseKind() === 'mysql' ? it : it.skip)(
    'count what was committed while a recount waited its turn behind another instance',
    async () => {
      const [first, second] = await Promise.all(
        ['轮候甲', '轮候乙'].map((name) => createPupil(server.dataSource, { name, schoolId: demoSchoolId, grade: 3 })),
      );
      expect(await enrolled(demoAdmin)).toBe(await recount(DEMO_COUNTY));
      // another instance's recount holds the turn
      const holder = server.dataSource.createQueryRunner();
      await holder.connect();
      await holder.startTransaction();
      try {
        await takeTurn(holder.manager, RECOUNT_TURN);
        await server.dataSource.transaction((tx) => server.app.get(ChildRecords).setPlacement(tx, first!.id, { grade: 4 }));
        const waiting = server.app.get(EnrolmentTallyService).ensureCurrent();
        // this recount's transaction waits for the turn's row
        for (let i = 0; i < 100; i++) {
          const [row] = (await manager().query(
            "SELECT COUNT(*) AS n FROM information_schema.innodb_trx t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE t.trx_state = 'LOCK WAIT' AND p.db = DATABASE()",
          )) as [{ n: number | string }];
          if (Number(row.n) > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // meanwhile a second pupil changes and commits
        await server.dataSource.transaction((tx) => server.app.get(ChildRecords).setPlacement(tx, second!.id, { grade: 5 }));
        await holder.commitTransaction();
        await waiting;
      } finally {
        await holder.release();
      }
      // the waiting recount's snapshot came after the second change: both counted, nothing left to count
      expect(await pendingCounties()).toEqual([]);
      const tallied = (await manager().query(
        'SELECT grade, SUM(pupils) AS n FROM enrolment_tallies WHERE county_code = ? GROUP BY grade ORDER BY grade',
        [DEMO_COUNTY],
      )) as Array<{ grade: number; n: number | string }>;
      const counted = (await manager().query(
        'SELECT grade, COUNT(*) AS n FROM children WHERE county_code = ? AND student_number IS NOT NULL AND grade IS NOT NULL GROUP BY grade ORDER BY grade',
        [DEMO_COUNTY],
      )) as Array<{ grade: number; n: number | string }>;
      expect(tallied.map((r) => [Number(r.grade), Number(r.n)])).toEqual(counted.map((r) => [Number(r.grade), Number(r.n)]));
    },
    60_000,
  );
});
