import { randomUUID } from 'node:crypto';
import type { CaseDetail, CaseListItem } from '@baoxue/shared';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AbsenceAlert, RollCall } from '../../server/src/modules/school-line/school-line.entities';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { createPupil, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { setChinaTime, setClassTeachers, submitRollCall } from '../support/school-line';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The school line end to end (BRIEF §4a), on the real calendar of autumn 2026: roll calls across
 * National Day raise an alert, the school contacts the family and reports the pupil, the case lands in
 * the township's inbox on the same child; approved leave keeps a sick pupil out of the rules; a
 * returned child's roll calls make 销号 possible; an offline roll call replayed is stored once.
 */
describe('the school line journey', () => {
  let server: TestServer;
  let leader: ApiClient;
  let teacher: ApiClient;
  let townshipLeader: ApiClient;
  let cadre: ApiClient;
  let parent: ApiClient;
  const pupils: Record<'absent' | 'sick' | 'returned' | 'other', { id: string; name: string }> = {} as never;
  const CLASS = { grade: 5, className: '1班' };

  /** Moves the clock (sessions idle for a week end: everyone signs in again). */
  async function moveTo(chinaTime: string): Promise<void> {
    setChinaTime(server, chinaTime);
    [leader, teacher, townshipLeader, cadre] = await Promise.all(
      ['school-leader', 'school-staff', 'township-leader', 'township-cadre'].map((a) => signInAs(server, a)),
    );
    parent = (await signInWithWechat(server, 'openid-leave-parent')).client;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await moveTo('2026-09-30T08:00');
    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    for (const [key, name, bindingCode] of [
      ['absent', '王小明', null],
      ['sick', '李小红', 'LEAVE5A1'],
      ['returned', '张小军', null],
      ['other', '刘小丽', null],
    ] as const) {
      const child = await createPupil(server.dataSource, { name, schoolId, ...CLASS, bindingCode });
      pupils[key] = { id: child.id, name };
    }
    expect((await parent.post('/children/bind', { bindingCode: 'LEAVE5A1', childName: '李小红', relation: 'mother' })).status).toBe(200);
    const teacherId = (await demoUser(server.dataSource, 'school-staff')).id;
    expect((await setClassTeachers(leader, CLASS.grade, CLASS.className, [teacherId])).status).toBe(200);
  }, 30_000);
  afterAll(async () => server?.close());

  const rollCall = (day: string, marked: Array<keyof typeof pupils>, clientKey?: string) =>
    submitRollCall(teacher, {
      ...CLASS,
      day,
      clientKey,
      marks: marked.map((key) => ({ childId: pupils[key].id, reason: 'unexcused' as const })),
    });

  it('roll calls across National Day raise one alert; the school contacts the family and reports the pupil to the township', async () => {
    // the parent asks for sick leave through the holiday, the 班主任 approves it
    const leave = await parent.post<{ id: string }>('/leave-requests', {
      clientKey: randomUUID(),
      childId: pupils.sick.id,
      kind: 'sick',
      fromDay: '2026-09-30',
      toDay: '2026-10-09',
      reason: '发烧住院',
    });
    expect(leave.status).toBe(201);
    expect((await teacher.post(`/leave-requests/${leave.body.id}/decision`, { approve: true })).status).toBe(200);

    // Wednesday 30 September, then National Day (1–7 October), then Thursday 8 and Friday 9 October
    expect((await rollCall('2026-09-30', ['absent', 'sick'])).body.newAlerts).toBe(0);
    await moveTo('2026-10-08T08:00');
    expect((await rollCall('2026-10-08', ['absent', 'sick'])).body.newAlerts).toBe(0);
    setChinaTime(server, '2026-10-09T08:00');
    const key = randomUUID();
    const third = await rollCall('2026-10-09', ['absent', 'sick'], key);
    expect(third.status).toBe(201);
    expect(third.body.newAlerts).toBe(1);
    // the phone sent it again twice (no answer reached it): stored once
    for (let i = 0; i < 2; i++) {
      const replay = await rollCall('2026-10-09', ['absent', 'sick'], key);
      expect(replay.status).toBe(200);
      expect(replay.body.rollCall.id).toBe(third.body.rollCall.id);
    }
    expect(await server.dataSource.manager.countBy(RollCall, { day: '2026-10-09' })).toBe(1);

    const alerts = await server.dataSource.manager.find(AbsenceAlert, {});
    expect(alerts).toEqual([
      expect.objectContaining({
        childId: pupils.absent.id,
        streak: 3,
        streakStart: '2026-09-30',
        lastAbsentDay: '2026-10-09',
        status: 'open',
      }),
    ]);

    // 家校联系, then the school reports the pupil
    const contact = await teacher.post(`/pupils/${pupils.absent.id}/family-contacts`, {
      contactedOn: '2026-10-09',
      channel: 'phone',
      contactPerson: '母亲',
      outcome: 'unreachable',
    });
    expect(contact.status).toBe(201);
    expect((await server.dataSource.manager.findOneByOrFail(AbsenceAlert, { childId: pupils.absent.id })).status).toBe('contacted');
    const report = await teacher.post<{ caseId: string; existing: boolean }>(`/pupils/${pupils.absent.id}/report`, {
      clientKey: randomUUID(),
      reason: '连续三个上学日未到校，家长电话联系不上',
    });
    expect(report.status).toBe(200);
    expect(report.body.existing).toBe(false);
    const opened = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: report.body.caseId });
    expect(opened).toMatchObject({ childId: pupils.absent.id, source: 'school' });
    const inbox = await townshipLeader.get<{ items: CaseListItem[] }>('/cases');
    expect(inbox.body.items.map((c) => c.id)).toContain(report.body.caseId);
    expect((await server.dataSource.manager.findOneByOrFail(AbsenceAlert, { childId: pupils.absent.id })).status).toBe('reported');
  });

  it('makes 销号 available from the roll calls of a returned child', async () => {
    const report = await teacher.post<{ caseId: string }>(`/pupils/${pupils.returned.id}/report`, {
      clientKey: randomUUID(),
      reason: '开学后一直未到校，家长称在外打工',
    });
    const caseId = report.body.caseId;
    const step = async (client: ApiClient, body: Record<string, unknown>) => {
      const current = await client.get<CaseDetail>(`/cases/${caseId}`);
      const response = await client.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
      expect(response.status).toBe(200);
      return response.body;
    };
    expect((await cadre.post(`/cases/${caseId}/accept`, {})).status).toBe(200);
    await step(cadre, { transition: 'start_verification' });
    await step(cadre, { transition: 'confirm', causes: ['learning_difficulty'] });
    const current = await cadre.get<CaseDetail>(`/cases/${caseId}`);
    const visit = await cadre.post(`/cases/${caseId}/visits`, {
      version: current.body.version,
      visitedOn: '2026-10-09',
      visitors: '陈丽（包抓干部）',
      met: '父亲',
      statedReason: '不想上学',
      commitments: '周一返校',
      outcome: 'agreed_to_return',
    });
    expect(visit.status).toBe(200);
    await moveTo('2026-10-12T08:00');
    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    await step(cadre, { transition: 'record_return', schoolId, grade: 5, placement: 'regular_class', returnedOn: '2026-10-12' });

    // twenty school days of roll calls (Monday 12 October to Friday 6 November), the pupil present
    const schoolDays: string[] = [];
    for (let day = new Date('2026-10-12T00:00:00Z'); schoolDays.length < 20; day = new Date(day.getTime() + 86_400_000))
      if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) schoolDays.push(day.toISOString().slice(0, 10));
    for (const day of schoolDays.slice(0, 19)) {
      await moveTo(`${day}T08:00`);
      expect((await rollCall(day, ['absent'])).status).toBe(201);
    }
    let detail = (await townshipLeader.get<CaseDetail>(`/cases/${caseId}`)).body;
    expect(detail.attendance).toMatchObject({ present: 19, satisfied: false });
    expectError(
      await townshipLeader.post(`/cases/${caseId}/transitions`, { version: detail.version, transition: 'close' }),
      409,
      'CASE_ATTENDANCE_SHORT',
    );
    await moveTo(`${schoolDays[19]!}T08:00`);
    expect((await rollCall(schoolDays[19]!, ['absent'])).status).toBe(201);
    detail = (await townshipLeader.get<CaseDetail>(`/cases/${caseId}`)).body;
    expect(detail.attendance).toMatchObject({ recorded: 20, present: 20, required: 20, satisfied: true });
    expect(detail.actions).toContain('close');
    const closed = await townshipLeader.post<CaseDetail>(`/cases/${caseId}/transitions`, { version: detail.version, transition: 'close' });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
  }, 60_000);
});
