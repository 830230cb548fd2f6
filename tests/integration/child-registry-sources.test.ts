import { idNumberCheckCharacter, schoolDaysUpTo, schoolYearOf, type CaseDetail, type CrosscheckRunView } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { transactionWithRetry } from '../../server/src/database/transaction';
import { User } from '../../server/src/modules/accounts/user.entity';
import { CaseEvent, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { nameKeyOf } from '../../server/src/modules/children/child-matching';
import { ChildRegistry, type BatchReport } from '../../server/src/modules/children/child-registry.service';
import { Child } from '../../server/src/modules/children/child.entity';
import { Guardianship } from '../../server/src/modules/children/guardianship.entity';
import { EnrolmentNotice } from '../../server/src/modules/enrolment/enrolment.entities';
import { AbsenceMonitorService } from '../../server/src/modules/registry/absence-monitor.service';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../support/api';
import { countyCalendar } from '../support/calendar';
import { ABSENCE_HEADER, HOUSEHOLD_HEADER, importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { createPupil, demoUser } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, WUMING } from '../support/tips';

const COUNTY = '411522000000';
const SCHOOL = '光山县十里镇中心小学';
/** The roster template's columns and the optional birth date (a row with a temporary 学籍号 and no ID number). */
const HEADER = [...ROSTER_HEADER, '出生日期'];

function id(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

/** A roster row of 吴明村 at the demo primary school; override any column. */
function rosterRow(row: { studentNumber: string; name: string; sex: '男' | '女'; idNumber?: string; grade?: string; className?: string }) {
  return [
    row.studentNumber,
    row.name,
    row.sex,
    row.idNumber ?? '',
    SCHOOL,
    row.grade ?? '五年级',
    row.className ?? '',
    '否',
    WUMING,
    '',
    '',
    '',
    '',
  ];
}

/**
 * Every source resolves the child through the registry (BRIEF §3a): the roster, the household list
 * through the cross-check, the absence monitor and a batch of household children find the child a
 * tip made instead of making a second record or a second case.
 */
describe('one child, whichever source names him', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let cadre: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [admin, supervisor, cadre] = await Promise.all(['county-admin', 'supervisor', 'township-cadre'].map((a) => signInAs(server, a)));
    schoolId = (await server.dataSource.manager.findOneByOrFail(School, { name: SCHOOL })).id;
  });
  afterAll(async () => server?.close());

  const today = () => new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const thisYear = () => Number(today().slice(0, 4));
  const child = (childId: string) => server.dataSource.manager.findOneByOrFail(Child, { id: childId });

  /** Files a tip and answers with its case. */
  async function tipCase(tipChild: { name: string; sex: 'male' | 'female'; age: number; idNumber?: string }): Promise<DropoutCase> {
    const tip = await fileTip(supervisor, { child: tipChild });
    expect(tip.status).toBe(201);
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId;
    return server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseId });
  }

  describe('the roster', () => {
    it('turns the child of a tip with his ID number into the pupil: one record, the roster’s, and the case keeps him', async () => {
      const idNumber = id('41152220150402123');
      const opened = await tipCase({ name: '周子轩', sex: 'male', age: 11, idNumber });
      const result = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [
          [`G${idNumber}`, '周子轩', '男', idNumber, SCHOOL, '五年级', '3班', '否', WUMING, '周建国', '父亲', '13900139000', ''],
        ]),
      );
      expect(result).toMatchObject({ status: 'completed', errors: [], created: 0, updated: 1, unchanged: 0 });
      expect(await server.dataSource.manager.countBy(Child, { nameKey: nameKeyOf('周子轩') })).toBe(1);
      const pupil = await child(opened.childId);
      expect(pupil).toMatchObject({
        studentNumber: `G${idNumber}`,
        idNumber,
        schoolId,
        grade: 5,
        className: '3班',
        boarding: false,
        countyCode: COUNTY,
      });
      expect(pupil.bindingCode).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      expect(await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: opened.id })).toMatchObject({
        childId: pupil.id,
        openChildId: pupil.id,
        status: 'reported',
      });
    });

    it('finds the child of a tip by name, birth date and village when the row has no ID number', async () => {
      const idNumber = id('41152220140815224');
      const opened = await tipCase({ name: '郑雨桐', sex: 'female', age: 12, idNumber });
      const result = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [rosterRow({ studentNumber: 'L41152220140815ZY01', name: '郑雨桐', sex: '女', grade: '四年级' })]),
      );
      expect(result).toMatchObject({ status: 'completed', errors: [], created: 0, updated: 1 });
      expect(await server.dataSource.manager.countBy(Child, { nameKey: nameKeyOf('郑雨桐') })).toBe(1);
      expect(await child(opened.childId)).toMatchObject({ studentNumber: 'L41152220140815ZY01', idNumber, grade: 4, schoolId });
    });

    it('matches a name written in traditional characters to the simplified name of a tip (name, birth year, village)', async () => {
      // the tip knows only an age: the birth year is an estimate, a year either way still matches
      const opened = await tipCase({ name: '陈晓华', sex: 'male', age: 10 });
      const born = `${thisYear() - 10}0303`;
      const result = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [rosterRow({ studentNumber: `L411522${born}TW01`, name: '陳曉華', sex: '男', grade: '四年级' })]),
      );
      expect(result).toMatchObject({ status: 'completed', errors: [], created: 0, updated: 1 });
      expect(await server.dataSource.manager.countBy(Child, { nameKey: nameKeyOf('陈晓华') })).toBe(1);
      // the roster is authoritative for the name it carries
      expect(await child(opened.childId)).toMatchObject({
        name: '陳曉華',
        studentNumber: `L411522${born}TW01`,
        birthDate: `${born.slice(0, 4)}-03-03`,
        birthYearExact: true,
      });
    });

    it('refuses a row whose 学籍号 and ID number belong to two records, and imports nothing', async () => {
      const pupilId = id('41152220150606331');
      const tipId = id('41152220150707451');
      expect(
        await importRegistry(
          server,
          admin,
          'roster',
          await xlsx(HEADER, [rosterRow({ studentNumber: `G${pupilId}`, name: '吴浩然', sex: '男', idNumber: pupilId })]),
        ),
      ).toMatchObject({ status: 'completed', errors: [], created: 1 });
      const opened = await tipCase({ name: '冯思远', sex: 'male', age: 11, idNumber: tipId });
      const before = await server.dataSource.manager.count(Child);
      const result = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [
          rosterRow({ studentNumber: `G${id('41152220150909551')}`, name: '新同学', sex: '男' }),
          rosterRow({ studentNumber: `G${pupilId}`, name: '吴浩然', sex: '男', idNumber: tipId, grade: '六年级' }),
        ]),
      );
      expect(result.status).toBe('failed');
      expect(result.errors).toEqual([
        {
          line: 3,
          column: '身份证号',
          message: '学籍号和身份证号分别属于两个不同的孩子记录，请核对；如确为同一个孩子，请先合并这两条记录再导入',
        },
      ]);
      expect(await server.dataSource.manager.count(Child)).toBe(before);
      expect(await server.dataSource.manager.findOneByOrFail(Child, { studentNumber: `G${pupilId}` })).toMatchObject({
        idNumber: pupilId,
        grade: 5,
      });
      expect(await child(opened.childId)).toMatchObject({ idNumber: tipId, studentNumber: null });
    });

    it('refuses two rows with one ID number under two 学籍号', async () => {
      const idNumber = id('41152220141111771');
      const before = await server.dataSource.manager.count(Child);
      const result = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [
          rosterRow({ studentNumber: 'L41152220141111AA01', name: '卫小明', sex: '男', idNumber }),
          rosterRow({ studentNumber: `G${idNumber}`, name: '卫小明', sex: '男', idNumber }),
        ]),
      );
      expect(result.status).toBe('failed');
      expect(result.errors).toEqual([
        { line: 3, column: '身份证号', message: '身份证号与第2行相同，但学籍号不同；同一个孩子只能有一个学籍号' },
      ]);
      expect(await server.dataSource.manager.count(Child)).toBe(before);
    });
  });

  describe('absences', () => {
    it('of a child with an open case join that case, once per streak, instead of opening another', async () => {
      const pupil = await server.dataSource.manager.findOneByOrFail(Child, { nameKey: nameKeyOf('周子轩') });
      const opened = await server.dataSource.manager.findOneByOrFail(DropoutCase, { openChildId: pupil.id });
      const days = schoolDaysUpTo(today(), 10, await countyCalendar(server, COUNTY));
      const absences = await importRegistry(
        server,
        admin,
        'absence',
        await xlsx(
          ABSENCE_HEADER,
          days.map((day) => [pupil.studentNumber!, day, '否']),
        ),
      );
      expect(absences).toMatchObject({ status: 'completed', errors: [], created: 10 });
      // the import ran the monitor; a second run finds the same streak
      const again = await server.app.get(AbsenceMonitorService).run(COUNTY, today());
      expect(again.opened).toBe(0);
      expect(await server.dataSource.manager.countBy(DropoutCase, { childId: pupil.id })).toBe(1);
      const events = await server.dataSource.manager.findBy(CaseEvent, { caseId: opened.id, kind: 'absences_reported' });
      expect(events.map((e) => e.data)).toEqual([{ streak: 10, streakStart: days[0], inWindow: 10 }]);
      const detail = await cadre.get<CaseDetail>(`/cases/${opened.id}`);
      expect(detail.body.events.map((e) => e.summary)).toContain(`学校报告：自${days[0]}起连续10个上学日未请假缺勤（近期共10天）`);
    });

    it('open one case when two runs meet the same child at once', async () => {
      const idNumber = id('41152220150123662');
      const roster = await importRegistry(
        server,
        admin,
        'roster',
        await xlsx(HEADER, [rosterRow({ studentNumber: `G${idNumber}`, name: '钱梓涵', sex: '女', idNumber })]),
      );
      expect(roster).toMatchObject({ status: 'completed', errors: [], created: 1 });
      const pupil = await server.dataSource.manager.findOneByOrFail(Child, { idNumber });
      const recorder = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'county-admin' });
      // recorded without an import, so that no run has seen them yet
      await server.dataSource.manager.insert(
        AttendanceDay,
        schoolDaysUpTo(today(), 8, await countyCalendar(server, COUNTY)).map((day) => ({
          id: newId(),
          childId: pupil.id,
          schoolId,
          day,
          present: false,
          excused: false,
          source: 'import' as const,
          recordedBy: recorder.id,
          recordedAt: server.clock.now(),
        })),
      );
      const monitor = server.app.get(AbsenceMonitorService);
      await Promise.all([monitor.run(COUNTY, today()), monitor.run(COUNTY, today())]);
      const cases = await server.dataSource.manager.findBy(DropoutCase, { childId: pupil.id });
      expect(cases).toHaveLength(1);
      expect(await server.dataSource.manager.countBy(CaseEvent, { caseId: cases[0]!.id, kind: 'absences_reported' })).toBe(1);
    });
  });

  it('the cross-check finds the child of a tip in the household list: no second child, no second case', async () => {
    const opened = await tipCase({ name: '蒋一诺', sex: 'female', age: 9 });
    const idNumber = id(`411522${thisYear() - 9}0505448`);
    const household = await importRegistry(
      server,
      admin,
      'household',
      await xlsx(HOUSEHOLD_HEADER, [[idNumber, '蒋一诺', WUMING, '蒋国强', '13700137000']]),
    );
    expect(household).toMatchObject({ status: 'completed', errors: [], created: 1 });
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: schoolYearOf(today()) });
    expect(started.status).toBe(201);
    await server.app.get(CrosscheckService).settled(started.body.id);
    const run = (await admin.get<CrosscheckRunView>(`/crosscheck/runs/${started.body.id}`)).body;
    expect(run).toMatchObject({ status: 'completed', error: null, counts: { notEnrolled: 0 } });
    expect(run.counts.alreadyFollowed).toBeGreaterThanOrEqual(1);
    const children = await server.dataSource.manager.findBy(Child, { nameKey: nameKeyOf('蒋一诺') });
    expect(children.map((c) => c.id)).toEqual([opened.childId]);
    // the household list completed what the tip did not know
    expect(children[0]).toMatchObject({ idNumber, birthDate: `${thisYear() - 9}-05-05`, birthYearExact: true });
    expect(await server.dataSource.manager.countBy(DropoutCase, { childId: opened.childId })).toBe(1);
  });

  it('sends the enrolment notice of a household child known from a tip to that child, not to a second record', async () => {
    const entrantYear = schoolYearOf(today()) + 1;
    // turning 6 by 31 August of the entrants' school year; the tip knew only his age
    const opened = await tipCase({ name: '褚小军', sex: 'male', age: thisYear() - (entrantYear - 7) });
    const idNumber = id(`411522${entrantYear - 7}1010551`);
    const household = await importRegistry(
      server,
      admin,
      'household',
      await xlsx(HOUSEHOLD_HEADER, [[idNumber, '褚小军', WUMING, '褚建军', '']]),
    );
    expect(household).toMatchObject({ status: 'completed', errors: [], created: 1 });
    const issued = await admin.post<{ notified: number }>('/enrolment/batches', {
      kind: 'new_entrants',
      schoolYear: entrantYear,
      schoolId,
      catchment: [WUMING],
      reportOn: `${entrantYear}-08-30`,
      reportTime: '上午8:00—11:30',
      reportPlace: '学校一楼大厅',
      bring: '户口簿',
      contact: '赵老师 0376-8888123',
      acknowledgeBy: `${entrantYear}-07-15`,
    });
    expect(issued.status).toBe(201);
    const children = await server.dataSource.manager.findBy(Child, { nameKey: nameKeyOf('褚小军') });
    expect(children.map((c) => c.id)).toEqual([opened.childId]);
    expect(children[0]).toMatchObject({ idNumber, birthDate: `${entrantYear - 7}-10-10` });
    expect(await server.dataSource.manager.countBy(EnrolmentNotice, { childId: opened.childId, schoolYear: entrantYear })).toBe(1);
  });

  it('binds a parent who holds the code of a merged record to the surviving record', async () => {
    const survivor = await createPupil(server.dataSource, { name: '何文博', birthDate: '2015-05-05', bindingCode: 'SURV2VAL' });
    const merged = await createPupil(server.dataSource, {
      name: '何文博',
      birthDate: '2015-05-05',
      idNumber: null,
      studentNumber: null,
      bindingCode: 'MERG2ED3',
    });
    await server.dataSource.manager.update(Child, { id: merged.id }, { mergedIntoId: survivor.id });
    const parent = await signInAs(server, 'parent');
    const bound = await parent.post('/children/bind', { bindingCode: 'MERG2ED3', childName: '何文博', relation: 'mother' });
    expect(bound.status).toBe(200);
    const mother = await demoUser(server.dataSource, 'parent');
    expect((await server.dataSource.manager.findBy(Guardianship, { userId: mother.id })).map((g) => g.childId)).toEqual([survivor.id]);
  });

  it('resolves a batch with its rows meeting each other: two rows about one child make one record', async () => {
    const idNumber = id('41152220160101882');
    const report = (overrides: Partial<BatchReport>): BatchReport => ({
      name: '孔佳怡',
      sex: 'female',
      idNumber: null,
      studentNumber: null,
      birthDate: '2016-01-01',
      birthYear: 2016,
      birthYearExact: true,
      villageCode: WUMING,
      schoolId: null,
      grade: null,
      countyCode: COUNTY,
      ...overrides,
    });
    const resolved = await transactionWithRetry(server.dataSource, (manager) =>
      server.app.get(ChildRegistry).resolveMany(manager, [report({}), report({ name: '孔 佳怡', idNumber })], 'household'),
    );
    expect(resolved.map((r) => [r.created, r.rule])).toEqual([
      [true, null],
      [false, 'birth_date'],
    ]);
    expect(resolved[1]!.child!.id).toBe(resolved[0]!.child!.id);
    const records = await server.dataSource.manager.findBy(Child, { nameKey: nameKeyOf('孔佳怡') });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ idNumber, countyCode: COUNTY, birthDate: '2016-01-01' });
  });
});
