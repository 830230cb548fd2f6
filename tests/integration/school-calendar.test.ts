import { chinaDay, schoolDaysUpTo, schoolYearOf, type ApiErrorBody, type CalendarView } from '@baoxue/shared';
import { Like } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { AbsenceMonitorService } from '../../server/src/modules/registry/absence-monitor.service';
import { CountyCalendarDay, SchoolTermRow } from '../../server/src/modules/school-calendar/school-calendar.entities';
import { SchoolCalendars } from '../../server/src/modules/school-calendar/school-calendars';
import { AbsenceAlert } from '../../server/src/modules/school-line/school-line.entities';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, demoUser, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

/**
 * Issue 14 item 1: the county school calendar. The county admin sets a school year's terms and the
 * days the county sets apart from the national schedule; every official of the county reads it;
 * bad input is refused naming the field, with nothing written; and the daily absence monitor counts
 * school days by it (a county day off neither counts nor breaks an absence streak).
 */
describe('the county school calendar', () => {
  let server: TestServer;
  let admin: ApiClient;
  let otherAdmin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    await seedOtherCounty(server.dataSource);
    admin = await signInAs(server, 'county-admin');
    otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, {
        role: 'county_admin',
        unitDivisionCode: OTHER_COUNTY.code,
        countyCode: OTHER_COUNTY.code,
        displayName: '罗山县教育局',
      }),
    );
  });
  afterAll(async () => server?.close());

  const counts = async () => ({
    terms: await server.dataSource.manager.count(SchoolTermRow),
    days: await server.dataSource.manager.count(CountyCalendarDay),
  });

  it('shows a school year with default terms, the national holidays and 调休 days, and the years the schedule lacks', async () => {
    const year = await admin.get<CalendarView>('/calendar?schoolYear=2025');
    expect(year.status).toBe(200);
    expect(year.body).toMatchObject({
      countyCode: DEMO_COUNTY,
      schoolYear: 2025,
      label: '2025–2026学年',
      missingNationalYears: [],
      terms: [
        { term: 'autumn', startsOn: '2025-09-01', endsOn: '2026-01-20', isDefault: true },
        { term: 'spring', startsOn: '2026-03-02', endsOn: '2026-07-05', isDefault: true },
      ],
    });
    expect(year.body.days).toEqual(
      expect.arrayContaining([
        { day: '2025-09-28', kind: 'school', note: '国庆节调休上课', source: 'national' },
        { day: '2025-10-01', kind: 'off', note: '国庆节', source: 'national' },
        { day: '2026-05-09', kind: 'school', note: '劳动节调休上课', source: 'national' },
      ]),
    );
    // the Spring Festival falls in the winter vacation: its days are not listed apart
    expect(year.body.days.some((d) => d.day === '2026-02-16' || d.day === '2026-02-14')).toBe(false);
    expect(year.body.schoolDays).toBeGreaterThan(180);
    const next = await admin.get<CalendarView>('/calendar?schoolYear=2026');
    expect(next.body.missingNationalYears).toEqual([2027]);
    const current = await admin.get<CalendarView>('/calendar');
    expect(current.body.schoolYear).toBe(schoolYearOf(current.body.today));
  });

  it('the county admin sets a term; the other keeps its default; the change is audited', async () => {
    const set = await admin.request<CalendarView>('PUT', '/calendar/terms', {
      schoolYear: 2025,
      terms: [{ term: 'autumn', startsOn: '2025-09-01', endsOn: '2026-01-23' }],
    });
    expect(set.status).toBe(200);
    expect(set.body.terms).toEqual([
      { term: 'autumn', startsOn: '2025-09-01', endsOn: '2026-01-23', isDefault: false },
      { term: 'spring', startsOn: '2026-03-02', endsOn: '2026-07-05', isDefault: true },
    ]);
    // again, with both terms: the autumn row is replaced, not doubled
    const both = await admin.request<CalendarView>('PUT', '/calendar/terms', {
      schoolYear: 2025,
      terms: [
        { term: 'autumn', startsOn: '2025-09-01', endsOn: '2026-01-22' },
        { term: 'spring', startsOn: '2026-02-27', endsOn: '2026-07-03' },
      ],
    });
    expect(both.status).toBe(200);
    expect(both.body.terms.map((t) => [t.endsOn, t.isDefault])).toEqual([
      ['2026-01-22', false],
      ['2026-07-03', false],
    ]);
    expect(await server.dataSource.manager.countBy(SchoolTermRow, { countyCode: DEMO_COUNTY, schoolYear: 2025 })).toBe(2);
    const audited = await server.dataSource.manager.findBy(AuditEntry, { action: 'calendar.terms' });
    expect(audited).toHaveLength(2);
    expect(audited[1]).toMatchObject({ countyCode: DEMO_COUNTY, targetId: DEMO_COUNTY });
    // another county's calendar is its own
    const other = await otherAdmin.get<CalendarView>('/calendar?schoolYear=2025');
    expect(other.body.countyCode).toBe(OTHER_COUNTY.code);
    expect(other.body.terms.every((t) => t.isDefault)).toBe(true);
  });

  it('the county admin sets a day off, changes it, and resets it to the national schedule', async () => {
    const off = await admin.request<CalendarView>('PUT', '/calendar/days/2025-11-03', { kind: 'off', note: '大雪停课' });
    expect(off.status).toBe(200);
    expect(off.body.days).toContainEqual({ day: '2025-11-03', kind: 'off', note: '大雪停课', source: 'county' });
    const before = off.body.schoolDays;
    // a holiday the county keeps open replaces the national entry
    const open = await admin.request<CalendarView>('PUT', '/calendar/days/2025-10-08', { kind: 'school', note: '补上运动会' });
    expect(open.body.days.filter((d) => d.day === '2025-10-08')).toEqual([
      { day: '2025-10-08', kind: 'school', note: '补上运动会', source: 'county' },
    ]);
    expect(open.body.schoolDays).toBe(before + 1);
    const changed = await admin.request<CalendarView>('PUT', '/calendar/days/2025-11-03', { kind: 'off', note: '暴雪停课' });
    expect(changed.body.days.filter((d) => d.day === '2025-11-03')).toEqual([
      { day: '2025-11-03', kind: 'off', note: '暴雪停课', source: 'county' },
    ]);
    expect(await server.dataSource.manager.countBy(CountyCalendarDay, { countyCode: DEMO_COUNTY, day: '2025-11-03' })).toBe(1);
    const reset = await admin.request<CalendarView>('DELETE', '/calendar/days/2025-10-08');
    expect(reset.status).toBe(200);
    expect(reset.body.days.filter((d) => d.day === '2025-10-08')).toEqual([
      { day: '2025-10-08', kind: 'off', note: '国庆节', source: 'national' },
    ]);
    expect((await admin.request('DELETE', '/calendar/days/2025-10-08')).status).toBe(200);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'calendar.day' })).toBe(3);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'calendar.day_reset' })).toBe(1);
  });

  it('officials of the county read it; only the county admin changes it', async () => {
    for (const account of ['township-leader', 'village-cadre', 'school-staff', 'supervisor']) {
      const client = await signInAs(server, account);
      const read = await client.get<CalendarView>('/calendar?schoolYear=2025');
      expect(read.status).toBe(200);
      expect(read.body.days).toContainEqual({ day: '2025-11-03', kind: 'off', note: '暴雪停课', source: 'county' });
      const refused = await client.request('PUT', '/calendar/days/2025-11-04', { kind: 'off', note: '停课' });
      // the policy's reason, not a bare refusal
      expect(expectError(refused, 403, 'FORBIDDEN').message).toBe('校历由县教育局维护');
      expect((await client.request('PUT', '/calendar/terms', { schoolYear: 2025, terms: [] })).status).toBe(403);
      expect((await client.request('DELETE', '/calendar/days/2025-11-03')).status).toBe(403);
    }
    const leader = await signInAs(server, 'township-leader');
    expectError(await leader.request('PUT', '/calendar/days/2025-11-04', { kind: 'off', note: '停课' }), 403, 'FORBIDDEN');
    const parent = await signInAs(server, 'parent');
    expect((await parent.get('/calendar')).status).toBe(403);
    expect(await server.dataSource.manager.countBy(CountyCalendarDay, { day: '2025-11-04' })).toBe(0);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await counts();
    const fieldsOf = async (method: string, path: string, body?: Record<string, unknown>) =>
      expectError(await admin.request(method, path, body), 400, 'VALIDATION_FAILED').fields as ApiErrorBody['fields'];
    expect(
      await fieldsOf('PUT', '/calendar/terms', {
        schoolYear: 2026,
        terms: [{ term: 'autumn', startsOn: '2026-09-01', endsOn: '2026-08-31' }],
      }),
    ).toEqual({ 'terms.0.endsOn': '学期结束日期不能早于开始日期' });
    expect(
      await fieldsOf('PUT', '/calendar/terms', {
        schoolYear: 2026,
        terms: [{ term: 'spring', startsOn: '2027-02-30', endsOn: '2027-07-01' }],
      }),
    ).toHaveProperty(['terms.0.startsOn']);
    // outside the school year, and an autumn term running into the spring term
    expect(
      await fieldsOf('PUT', '/calendar/terms', {
        schoolYear: 2026,
        terms: [{ term: 'autumn', startsOn: '2026-08-20', endsOn: '2027-01-20' }],
      }),
    ).toEqual({ 'terms.0.startsOn': '秋季学期应在2026年9月1日至2027年8月31日之间' });
    expect(
      await fieldsOf('PUT', '/calendar/terms', {
        schoolYear: 2026,
        terms: [{ term: 'autumn', startsOn: '2026-09-01', endsOn: '2027-03-01' }],
      }),
    ).toEqual({ 'terms.0.endsOn': '秋季学期应在春季学期开始（2027年2月20日）前结束' });
    expect(
      await fieldsOf('PUT', '/calendar/terms', {
        schoolYear: 2026,
        terms: [
          { term: 'spring', startsOn: '2027-02-20', endsOn: '2027-07-01' },
          { term: 'spring', startsOn: '2027-02-21', endsOn: '2027-07-01' },
        ],
      }),
    ).toHaveProperty('terms');
    expect(await fieldsOf('PUT', '/calendar/days/2026-02-30', { kind: 'off', note: '停课' })).toHaveProperty('day');
    expect(await fieldsOf('PUT', '/calendar/days/2026-11-05', { kind: 'off' })).toEqual({ note: '请填写说明' });
    expect(await fieldsOf('PUT', '/calendar/days/2026-11-05', { kind: 'holiday', note: '停课' })).toHaveProperty('kind');
    expect(await fieldsOf('DELETE', '/calendar/days/yesterday')).toHaveProperty('day');
    expect(await counts()).toEqual(before);
  });

  it('the absence monitor counts school days by the county calendar: a county day off neither counts nor breaks a streak', async () => {
    const school = await schoolByName(server.dataSource, DEMO_SCHOOL);
    const pupil = await createPupil(server.dataSource, { name: '停课日', schoolId: school.id, grade: 5, className: '1班' });
    const recorder = await demoUser(server.dataSource, 'county-admin');
    const today = chinaDay(server.clock.now());
    const calendar = await server.app.get(SchoolCalendars).of(server.dataSource.manager, DEMO_COUNTY);
    // four school days in a row; the pupil is absent on all but the third, which nobody recorded
    const [first, second, third, fourth] = schoolDaysUpTo(today, 4, calendar) as [string, string, string, string];
    await server.dataSource.manager.insert(
      AttendanceDay,
      [first, second, fourth].map((day) => ({
        id: newId(),
        childId: pupil.id,
        schoolId: school.id,
        day,
        present: false,
        excused: false,
        source: 'import' as const,
        reason: null,
        rollCallId: null,
        recordedBy: recorder.id,
        recordedAt: server.clock.now(),
      })),
    );
    const alerts = () => server.dataSource.manager.countBy(InboxMessage, { body: Like(`%停课日%`) });
    const monitor = server.app.get(AbsenceMonitorService);
    await monitor.run(DEMO_COUNTY, today);
    expect(await alerts()).toBe(0);
    // the county closed the schools that day: the streak runs over it
    const closed = await admin.request<CalendarView>('PUT', `/calendar/days/${third}`, { kind: 'off', note: '暴雨停课' });
    expect(closed.status).toBe(200);
    await monitor.run(DEMO_COUNTY, today);
    const messages = await server.dataSource.manager.findBy(InboxMessage, { body: Like(`%停课日%`) });
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]!.body).toContain('已连续3个上学日未请假缺勤');
    // the streak's absence alert, as a roll call raises it
    const alert = await server.dataSource.manager.findOneByOrFail(AbsenceAlert, { childId: pupil.id });
    expect(alert).toMatchObject({ streak: 3, streakStart: first, lastAbsentDay: fourth });
    expect(messages.every((m) => m.dedupeKey.startsWith(`absence-alert:${alert.id}:`))).toBe(true);
  });
});
