import { In, Like } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { CaseEvent, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { AbsenceMonitorService } from '../../server/src/modules/registry/absence-monitor.service';
import { AbsenceAlert } from '../../server/src/modules/school-line/school-line.entities';
import { signInAs, type ApiClient } from '../support/api';
import { DEMO_COUNTY, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { createClass, setChinaTime, setClassTeachers, submitRollCall } from '../support/school-line';
import { startTestServer, type TestServer } from '../support/server';

// two ordinary weeks of the autumn term 2026: Monday 9 November to Wednesday 18 November
const DAYS = ['2026-11-09', '2026-11-10', '2026-11-11', '2026-11-12', '2026-11-13', '2026-11-16', '2026-11-17', '2026-11-18'];
const TODAY = DAYS.at(-1)!;

/**
 * One source of absence alerts (BRIEF §4a): the daily monitor and the roll call raise the same
 * alert of a streak (one row, one message to the class's 班主任 and the school's leaders, whichever
 * sees it first), and the monitor reads a pupil's days as the roll call does — a school day without
 * a roll call of the class breaks no streak — while a class whose absences come by the county's
 * import (absences only) keeps its unrecorded days as present.
 */
describe('the daily absence monitor and the roll call', () => {
  let server: TestServer;
  let teacher: ApiClient;
  let schoolId: string;
  let followers: string[];
  let leaderId: string;
  let rollCallClass: Array<{ id: string; name: string }>;
  let importClass: Array<{ id: string; name: string }>;
  let unfollowedClass: Array<{ id: string; name: string }>;

  const monitor = () => server.app.get(AbsenceMonitorService).run(DEMO_COUNTY, TODAY);
  const alertsOf = (childId: string) => server.dataSource.manager.findBy(AbsenceAlert, { childId });
  const messagesAbout = (name: string) => server.dataSource.manager.findBy(InboxMessage, { body: Like(`%${name}已连续%`) });
  const imported = (childId: string, days: string[], excused = false) =>
    server.dataSource.manager.insert(
      AttendanceDay,
      days.map((day) => ({
        id: newId(),
        childId,
        schoolId,
        day,
        present: false,
        excused,
        source: 'import' as const,
        reason: null,
        rollCallId: null,
        recordedBy: followers[0]!,
        recordedAt: server.clock.now(),
      })),
    );

  beforeAll(async () => {
    server = await startTestServer();
    setChinaTime(server, `${DAYS[0]}T10:00`);
    const leader = await signInAs(server, 'school-leader');
    teacher = await signInAs(server, 'school-staff');
    const teacherId = (await demoUser(server.dataSource, 'school-staff')).id;
    leaderId = (await demoUser(server.dataSource, 'school-leader')).id;
    followers = [teacherId, leaderId].sort();
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    rollCallClass = await createClass(server, { schoolId, grade: 2, className: '7班', size: 3, prefix: '点名班' });
    importClass = await createClass(server, { schoolId, grade: 2, className: '8班', size: 3, prefix: '导入班' });
    unfollowedClass = await createClass(server, { schoolId, grade: 2, className: '9班', size: 2, prefix: '无人班' });
    for (const className of ['7班', '8班']) expect((await setClassTeachers(leader, 2, className, [teacherId])).status).toBe(200);

    // 二年级7班 takes its roll call every school day but Thursday the 12th: 点名班01 absent without
    // leave on all of them, 点名班02 from Monday the 16th
    for (const day of DAYS) {
      if (day === '2026-11-12') continue;
      setChinaTime(server, `${day}T10:00`);
      teacher = await signInAs(server, 'school-staff'); // a session lasts a week
      const marks = [{ childId: rollCallClass[0]!.id, reason: 'unexcused' as const }];
      if (day >= '2026-11-16') marks.push({ childId: rollCallClass[1]!.id, reason: 'unexcused' });
      expect((await submitRollCall(teacher, { grade: 2, className: '7班', day, marks })).status).toBe(201);
    }
  });
  afterAll(async () => server?.close());

  it('does not raise again a streak the roll call raised: one alert, one message to each of the class’s followers', async () => {
    const pupil = rollCallClass[1]!;
    const [raised] = await alertsOf(pupil.id);
    expect(raised).toMatchObject({ streak: 3, streakStart: '2026-11-16', lastAbsentDay: TODAY });
    await monitor();
    expect(await alertsOf(pupil.id)).toHaveLength(1);
    const messages = await messagesAbout(pupil.name);
    expect(messages.map((m) => m.userId).sort()).toEqual(followers);
    expect(messages.every((m) => m.dedupeKey.startsWith(`absence-alert:${raised!.id}`))).toBe(true);
  });

  it('raises from imported absences the alert the roll call then continues, told once', async () => {
    const pupil = importClass[0]!;
    await imported(pupil.id, ['2026-11-16', '2026-11-17']);
    await imported(pupil.id, [TODAY]);
    const first = await monitor();
    expect(first.alerts).toBeGreaterThanOrEqual(1);
    const [raised] = await alertsOf(pupil.id);
    expect(raised).toMatchObject({ grade: 2, className: '8班', streak: 3, streakStart: '2026-11-16', status: 'open' });
    // the 班主任 takes today's roll call after all: the same streak, no second alert or message
    const taken = await submitRollCall(teacher, {
      grade: 2,
      className: '8班',
      day: TODAY,
      marks: [{ childId: pupil.id, reason: 'unexcused' }],
    });
    expect(taken.status).toBe(201);
    expect(taken.body.newAlerts).toBe(0);
    await monitor();
    expect(await alertsOf(pupil.id)).toHaveLength(1);
    const messages = await messagesAbout(pupil.name);
    expect(messages.map((m) => m.userId).sort()).toEqual(followers);
    expect(messages.every((m) => m.dedupeKey.startsWith(`absence-alert:${raised!.id}`))).toBe(true);
  });

  it('tells a class without a 班主任 to the school’s leaders, not to every staff member', async () => {
    const pupil = unfollowedClass[0]!;
    await imported(pupil.id, ['2026-11-16', '2026-11-17', TODAY]);
    await monitor();
    expect(await alertsOf(pupil.id)).toHaveLength(1);
    expect((await messagesAbout(pupil.name)).map((m) => m.userId)).toEqual([leaderId]);
  });

  it('counts a pupil’s days as the roll call does: a school day without a roll call of the class breaks no streak', async () => {
    const pupil = rollCallClass[0]!;
    // absent on the seven roll calls of eight school days: seven in a row, the county's limit for a case
    const [alert] = await alertsOf(pupil.id);
    expect(alert).toMatchObject({ streak: 7, streakStart: DAYS[0] });
    await monitor();
    const opened = await server.dataSource.manager.findOneByOrFail(DropoutCase, { childId: pupil.id });
    expect(opened.source).toBe('absence');
    const events = await server.dataSource.manager.findBy(CaseEvent, { caseId: opened.id, kind: 'absences_reported' });
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining({ streak: 7, streakStart: DAYS[0] })]);
    // the roll call's class-mates present every day have nothing
    expect(await alertsOf(rollCallClass[2]!.id)).toEqual([]);
  });

  it('keeps an imported class’s days without a record before its first roll call as present, and excused days as nothing', async () => {
    const [gap, excused] = [importClass[1]!, importClass[2]!];
    // Thursday, Friday and Tuesday without leave: the import says nothing of Monday, so she was there
    await imported(gap.id, ['2026-11-12', '2026-11-13', '2026-11-17']);
    // the same, with Monday on leave: three school days in a row without leave
    await imported(excused.id, ['2026-11-12', '2026-11-13', '2026-11-17']);
    await imported(excused.id, ['2026-11-16'], true);
    await monitor();
    expect(await alertsOf(gap.id)).toEqual([]);
    expect(await alertsOf(excused.id)).toEqual([
      expect.objectContaining({ streak: 3, streakStart: '2026-11-12', lastAbsentDay: '2026-11-17' }),
    ]);
    expect(await server.dataSource.manager.countBy(DropoutCase, { childId: In([gap.id, excused.id]) })).toBe(0);
  });
});
