import { randomUUID } from 'node:crypto';
import type { ClassView, RollCallView } from '@baoxue/shared';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { AbsenceAlert, RollCall } from '../../server/src/modules/school-line/school-line.entities';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { createClass, setChinaTime, setClassTeachers, submitRollCall } from '../support/school-line';
import { startTestServer, type TestServer } from '../support/server';

type Sheet = {
  editable: boolean;
  notEditableReason: string | null;
  pupils: Array<{ childId: string; mark: string | null }>;
  rollCall: RollCallView | null;
};
type Week = {
  days: Array<{ day: string; schoolDay: boolean; taken: boolean }>;
  pupils: Array<{ childId: string; marks: Array<string | null> }>;
};

// Wednesday 18 November 2026, 10:00 in China: an ordinary week of the autumn term
const TODAY = '2026-11-18';

describe('classes and roll call', () => {
  let server: TestServer;
  let leader: ApiClient;
  let teacher: ApiClient;
  let teacherId: string;
  let leaderId: string;
  let class32: Array<{ id: string; name: string }>;
  let class31: Array<{ id: string; name: string }>;
  let class41: Array<{ id: string; name: string }>;

  const rollCallsOf = (day: string) => server.dataSource.manager.countBy(RollCall, { grade: 3, className: '2班', day });

  beforeAll(async () => {
    server = await startTestServer();
    setChinaTime(server, `${TODAY}T10:00`);
    [leader, teacher] = await Promise.all(['school-leader', 'school-staff'].map((a) => signInAs(server, a)));
    teacherId = (await demoUser(server.dataSource, 'school-staff')).id;
    leaderId = (await demoUser(server.dataSource, 'school-leader')).id;
    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    class32 = await createClass(server, { schoolId, grade: 3, className: '2班', size: 50, prefix: '三二' });
    class31 = await createClass(server, { schoolId, grade: 3, className: '1班', size: 3, prefix: '三一' });
    class41 = await createClass(server, { schoolId, grade: 4, className: '1班', size: 4, prefix: '四一' });
  });
  afterAll(async () => server?.close());

  it('lets the leader name 班主任 (staff of the school only) and shows a 班主任 only their classes', async () => {
    expectError(await setClassTeachers(teacher, 3, '2班', [teacherId]), 403, 'FORBIDDEN');
    const township = await demoUser(server.dataSource, 'township-cadre');
    const refused = expectError(await setClassTeachers(leader, 3, '2班', [township.id]), 400, 'VALIDATION_FAILED');
    expect(refused.fields).toHaveProperty(['userIds.0']);
    expectError(await setClassTeachers(leader, 3, '9班', [teacherId]), 400, 'VALIDATION_FAILED');
    const named = await setClassTeachers(leader, 3, '2班', [teacherId]);
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ label: '三年级2班', pupils: 50, teachers: [{ userId: teacherId, name: '赵敏' }] });

    const mine = await teacher.get<{ classes: ClassView[]; todayIsSchoolDay: boolean; today: string }>('/classes');
    expect(mine.body).toMatchObject({ today: TODAY, todayIsSchoolDay: true });
    expect(mine.body.classes.map((c) => [c.label, c.mine])).toEqual([['三年级2班', true]]);
    const all = await leader.get<{ classes: ClassView[] }>('/classes');
    expect(all.body.classes.map((c) => c.label)).toEqual(['三年级1班', '三年级2班', '四年级1班']);

    // another class of the school is not the 班主任's: not found, to read or to take
    expectError(await teacher.get(`/roll-calls/sheet?grade=3&className=${encodeURIComponent('1班')}`), 404, 'NOT_FOUND');
    expectError(await teacher.get(`/roll-calls/week?grade=3&className=${encodeURIComponent('1班')}`), 404, 'NOT_FOUND');
    expectError(await submitRollCall(teacher, { grade: 3, className: '1班', day: TODAY }), 404, 'NOT_FOUND');
    // officials the policy never lists are refused with its reason
    const cadre = await signInAs(server, 'township-cadre');
    expectError(await cadre.get('/classes'), 403, 'FORBIDDEN');
    expect(expectError(await submitRollCall(cadre, { grade: 3, className: '1班', day: TODAY }), 403, 'FORBIDDEN').message).toBe(
      '只有本班班主任或学校负责人可以点名',
    );
    expect(await server.dataSource.manager.countBy(RollCall, {})).toBe(0);
  });

  it('takes a roll call of 50 with 3 marks, and the sheet shows them', async () => {
    const sheet = await teacher.get<Sheet>(`/roll-calls/sheet?grade=3&className=${encodeURIComponent('2班')}`);
    expect(sheet.body).toMatchObject({ editable: true, rollCall: null });
    expect(sheet.body.pupils).toHaveLength(50);
    const taken = await submitRollCall(teacher, {
      grade: 3,
      className: '2班',
      day: TODAY,
      marks: [
        { childId: class32[0]!.id, reason: 'sick' },
        { childId: class32[1]!.id, reason: 'unexcused' },
        { childId: class32[2]!.id, reason: 'late' },
      ],
    });
    expect(taken.status).toBe(201);
    expect(taken.body.rollCall).toMatchObject({ day: TODAY, pupils: 50, absent: 2, late: 1, takenByName: '赵敏' });
    // present pupils have no row: present is a roll call and no mark
    expect(await server.dataSource.manager.countBy(AttendanceDay, { day: TODAY })).toBe(3);
    const after = await teacher.get<Sheet>(`/roll-calls/sheet?grade=3&className=${encodeURIComponent('2班')}`);
    expect(after.body.pupils.slice(0, 4).map((p) => p.mark)).toEqual(['sick', 'unexcused', 'late', null]);
    const classes = await teacher.get<{ classes: ClassView[] }>('/classes');
    expect(classes.body.classes[0]!.today).toMatchObject({ taken: true, absent: 2 });
  });

  it('stores an offline replay once: the same key again, also in parallel, returns the stored roll call', async () => {
    const day = '2026-11-17';
    const input = {
      grade: 3,
      className: '2班',
      day,
      clientKey: randomUUID(),
      marks: [{ childId: class32[5]!.id, reason: 'personal' as const }],
    };
    const [a, b] = await Promise.all([submitRollCall(teacher, input), submitRollCall(teacher, input)]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.rollCall.id).toBe(b.body.rollCall.id);
    const again = await submitRollCall(teacher, input);
    expect(again.status).toBe(200);
    expect(again.body.rollCall).toEqual(a.body.rollCall);
    expect(await rollCallsOf(day)).toBe(1);
    expect(await server.dataSource.manager.countBy(AttendanceDay, { day })).toBe(1);
    // the key names that roll call: reused for another day it is refused
    expectError(await submitRollCall(teacher, { ...input, day: '2026-11-16' }), 409, 'ROLL_CALL_KEY_REUSED');
  });

  it('replaces the marks the same day with a new key, and refuses the next day', async () => {
    const first = (await teacher.get<Sheet>(`/roll-calls/sheet?grade=3&className=${encodeURIComponent('2班')}`)).body.rollCall!;
    const edit = {
      grade: 3,
      className: '2班',
      day: TODAY,
      clientKey: randomUUID(),
      marks: [{ childId: class32[1]!.id, reason: 'unexcused' as const }],
    };
    const edited = await submitRollCall(teacher, edit);
    expect(edited.status).toBe(201);
    expect(edited.body.rollCall).toMatchObject({ id: first.id, absent: 1, late: 0 });
    expect(await server.dataSource.manager.countBy(AttendanceDay, { day: TODAY })).toBe(1);
    expect((await submitRollCall(teacher, edit)).status).toBe(200);

    setChinaTime(server, '2026-11-19T08:00');
    try {
      const closed = expectError(await submitRollCall(teacher, { grade: 3, className: '2班', day: TODAY }), 409, 'ROLL_CALL_CLOSED');
      expect(closed.fields).toHaveProperty('day');
      const sheet = await teacher.get<Sheet>(`/roll-calls/sheet?grade=3&className=${encodeURIComponent('2班')}&day=${TODAY}`);
      expect(sheet.body).toMatchObject({ editable: false, notEditableReason: '点名只能在当天修改' });
      expect(await server.dataSource.manager.countBy(AttendanceDay, { day: TODAY })).toBe(1);
    } finally {
      setChinaTime(server, `${TODAY}T10:00`);
    }
  });

  it('accepts a first submission up to a week late, and refuses future days, days without school and pupils of another class', async () => {
    expect((await submitRollCall(teacher, { grade: 3, className: '2班', day: '2026-11-12' })).status).toBe(201);
    const tooLate = expectError(
      await submitRollCall(teacher, { grade: 3, className: '2班', day: '2026-11-10' }),
      400,
      'ROLL_CALL_TOO_LATE',
    );
    expect(tooLate.fields).toHaveProperty('day');
    expect(
      expectError(await submitRollCall(teacher, { grade: 3, className: '2班', day: '2026-11-19' }), 400, 'ROLL_CALL_FUTURE_DAY').fields,
    ).toHaveProperty('day');
    // a Saturday, and National Day
    expect(
      expectError(await submitRollCall(teacher, { grade: 3, className: '2班', day: '2026-11-14' }), 400, 'ROLL_CALL_NOT_SCHOOL_DAY').fields,
    ).toHaveProperty('day');
    expectError(await submitRollCall(teacher, { grade: 3, className: '2班', day: '2026-10-01' }), 400, 'ROLL_CALL_NOT_SCHOOL_DAY');
    const stranger = expectError(
      await submitRollCall(teacher, {
        grade: 3,
        className: '2班',
        day: '2026-11-13',
        marks: [
          { childId: class32[0]!.id, reason: 'sick' },
          { childId: class31[0]!.id, reason: 'sick' },
        ],
      }),
      400,
      'ROLL_CALL_PUPIL_NOT_IN_CLASS',
    );
    expect(stranger.fields).toEqual({ 'marks.1.childId': expect.stringMatching(/[\u4e00-\u9fa5]/) });
    for (const day of ['2026-11-10', '2026-11-19', '2026-11-14', '2026-10-01', '2026-11-13']) expect(await rollCallsOf(day)).toBe(0);
  });

  it('raises one alert after 3 school days absent without leave, tells the 班主任 and the leader, and ends it when the pupil is back', async () => {
    expect((await setClassTeachers(leader, 4, '1班', [teacherId])).status).toBe(200);
    const absent = class41[0]!.id;
    const onLeave = class41[1]!.id;
    const mark = (day: string) =>
      submitRollCall(leader, {
        grade: 4,
        className: '1班',
        day,
        marks: [
          { childId: absent, reason: 'unexcused' },
          { childId: onLeave, reason: 'sick' },
        ],
      });
    // Friday, then Monday (the weekend between breaks nothing), then Tuesday without a roll call, then Wednesday
    expect((await mark('2026-11-13')).body.newAlerts).toBe(0);
    expect((await mark('2026-11-16')).body.newAlerts).toBe(0);
    const third = await mark(TODAY);
    expect(third.body.newAlerts).toBe(1);
    const alerts = await server.dataSource.manager.findBy(AbsenceAlert, { childId: absent });
    expect(alerts).toEqual([expect.objectContaining({ streak: 3, streakStart: '2026-11-13', lastAbsentDay: TODAY, status: 'open' })]);
    expect(await server.dataSource.manager.countBy(AbsenceAlert, { childId: onLeave })).toBe(0);
    for (const userId of [teacherId, leaderId]) {
      const messages = await server.dataSource.manager.findBy(InboxMessage, { userId, title: '学生连续缺勤，请联系家长' });
      expect(messages).toHaveLength(1);
      expect(messages[0]!.link).toBe(`/packages/school/pages/pupil/index?id=${absent}`);
    }
    // the same day again (a correction keeping the mark) raises nothing new
    expect((await mark(TODAY)).body.newAlerts).toBe(0);
    const listed = await teacher.get<{ items: Array<{ childId: string; streak: number; classLabel: string; status: string }> }>(
      '/absence-alerts',
    );
    expect(listed.body.items).toEqual([expect.objectContaining({ childId: absent, streak: 3, classLabel: '四年级1班', status: 'open' })]);
    // a 班主任 of other classes sees none of it
    await setClassTeachers(leader, 4, '1班', []);
    expect((await teacher.get<{ items: unknown[] }>('/absence-alerts')).body.items).toEqual([]);
    expect((await leader.get<{ items: unknown[] }>('/absence-alerts')).body.items).toHaveLength(1);

    setChinaTime(server, '2026-11-19T09:00');
    try {
      expect((await submitRollCall(leader, { grade: 4, className: '1班', day: '2026-11-19' })).status).toBe(201);
      expect((await server.dataSource.manager.findOneByOrFail(AbsenceAlert, { childId: absent })).status).toBe('back');
      const week = await leader.get<Week>(`/roll-calls/week?grade=4&className=${encodeURIComponent('1班')}`);
      expect(week.body.days.map((d) => [d.schoolDay, d.taken])).toEqual([
        [true, true],
        [true, false],
        [true, true],
        [true, true],
        [true, false],
        [false, false],
        [false, false],
      ]);
      expect(week.body.pupils.find((p) => p.childId === absent)!.marks).toEqual([
        'unexcused',
        null,
        'unexcused',
        'present',
        null,
        null,
        null,
      ]);
    } finally {
      setChinaTime(server, `${TODAY}T10:00`);
    }
  });
});
