import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { addDays, chinaDay, isSchoolDay, type AbsenceReason, type CalendarView, type SchoolCalendar, type TermDates } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { COUNTY, seeded } from './county';
import { insertRows } from './mysql';
import { call } from './server';

/** Data and load of the school-day section: classes of a county, their 班主任, the roll calls of a day. */

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟'.split('');
const GIVEN = '子涵浩宇欣怡梓萱俊杰雨桐思远佳怡晨阳一诺紫涵宇轩博文诗琪嘉怡欣然雅琪子轩浩然梦瑶家豪晓峰丽娜海燕志强'.match(/../g)!;

export interface SchoolClass {
  schoolId: string;
  grade: number;
  className: string;
  pupilIds: string[];
  teacherId: string;
  token: string;
}

interface SchoolRow {
  id: string;
  stage: string;
  township: string;
}

/**
 * Spreads `pupils` over the county's schools as classes of about `classSize` (grades 1–6 in a primary
 * school, 7–9 in a junior school, 1–9 in a 九年一贯制 school), each with one 班主任 who has a session:
 * pupils, users, sessions and `class_teachers` written with multi-row INSERTs (not measured).
 */
export async function insertClasses(
  db: Connection,
  pupils: number,
  classSize: number,
  seed: number,
  /** The school leader or county admin who named the 班主任. */
  assignedBy: string,
): Promise<SchoolClass[]> {
  // the demo's own school (its pupils and roll calls are the demo seed's) is left as it is
  const [schoolRows] = await db.query(
    'SELECT id, stage, township_code AS township FROM schools s WHERE county_code = ? AND NOT EXISTS (SELECT 1 FROM children ch WHERE ch.school_id = s.id) ORDER BY id',
    [COUNTY],
  );
  const schools = schoolRows as SchoolRow[];
  const [villageRows] = await db.query(
    "SELECT code, parent_code AS township FROM divisions WHERE level = 'village' AND code LIKE '411522%'",
  );
  const villagesOf = new Map<string, string[]>();
  for (const v of villageRows as Array<{ code: string; township: string }>)
    villagesOf.set(v.township, [...(villagesOf.get(v.township) ?? []), v.code]);
  const grades = (stage: string) =>
    stage === 'primary' ? [1, 2, 3, 4, 5, 6] : stage === 'junior' ? [7, 8, 9] : [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const slots = schools.flatMap((s) => grades(s.stage).map((grade) => ({ school: s, grade })));
  const perSlot = Math.max(1, Math.round(pupils / classSize / slots.length));
  const classes: Array<{ school: SchoolRow; grade: number; className: string }> = [];
  for (const slot of slots) for (let k = 1; k <= perSlot; k++) classes.push({ ...slot, className: `${k}班` });

  const next = seeded(seed);
  const now = new Date();
  const result: SchoolClass[] = classes.map((c) => ({
    schoolId: c.school.id,
    grade: c.grade,
    className: c.className,
    pupilIds: [],
    teacherId: newId(),
    token: `bx1_${randomBytes(32).toString('base64url')}`,
  }));
  function* children() {
    for (let i = 0; i < pupils; i++) {
      const index = i % classes.length;
      const { school, grade } = classes[index]!;
      const id = newId();
      result[index]!.pupilIds.push(id);
      const villages = villagesOf.get(school.township) ?? [];
      const name = SURNAMES[Math.floor(next() * SURNAMES.length)]! + GIVEN[Math.floor(next() * GIVEN.length)]!;
      yield [
        id,
        name,
        name,
        next() < 0.52 ? 'male' : 'female',
        2026 - 6 - grade,
        0,
        villages[Math.floor(next() * villages.length)] ?? null,
        COUNTY,
        school.id,
        grade,
        classes[index]!.className,
        `D${String(i).padStart(18, '0')}`,
        '[]',
        now,
        now,
      ];
    }
  }
  await insertRows(
    db,
    'children',
    [
      'id',
      'name',
      'name_key',
      'sex',
      'birth_year',
      'birth_year_exact',
      'village_code',
      'county_code',
      'school_id',
      'grade',
      'class_name',
      'student_number',
      'priority_groups',
      'created_at',
      'updated_at',
    ],
    children(),
  );
  // written past the product, so announced as its own writers do: the enrolment tallies recount
  await db.query('INSERT INTO enrolment_tally_changes (id, county_code, changed_at) VALUES (?, ?, ?)', [newId(), COUNTY, now]);
  await insertRows(
    db,
    'users',
    ['id', 'openid', 'demo_account', 'role', 'display_name', 'position', 'unit_division_code', 'unit_school_id', 'county_code', 'disabled'],
    result.map((c, i) => [c.teacherId, `o_teacher_${i}`, null, 'official', `班主任${i}`, 'school_staff', null, c.schoolId, COUNTY, 0]),
  );
  const expires = new Date(Date.now() + 24 * 3_600_000);
  await insertRows(
    db,
    'sessions',
    ['id', 'token_hash', 'user_id', 'wechat_session_key', 'created_at', 'expires_at', 'revoked_at'],
    result.map((c) => [newId(), createHash('sha256').update(c.token).digest('hex'), c.teacherId, null, now, expires, null]),
  );
  await insertRows(
    db,
    'class_teachers',
    ['school_id', 'grade', 'class_name', 'user_id', 'assigned_by', 'assigned_at'],
    result.map((c) => [c.schoolId, c.grade, c.className, c.teacherId, assignedBy, now]),
  );
  return result;
}

/**
 * The county's calendar as GET /api/calendar shows it, in the shape the product counts school days
 * with (`isSchoolDay`): the national holidays and 调休 days, the terms, the county's own days.
 */
function calendarOf(views: Iterable<CalendarView>): SchoolCalendar {
  const daysOff = new Set<string>();
  const makeUpDays = new Set<string>();
  const terms = new Map<number, TermDates[]>();
  const countyDays = new Map<string, 'off' | 'school'>();
  for (const view of views) {
    terms.set(
      view.schoolYear,
      view.terms.map((t) => ({ startsOn: t.startsOn, endsOn: t.endsOn })),
    );
    for (const d of view.days) {
      if (d.source === 'county') countyDays.set(d.day, d.kind);
      else (d.kind === 'off' ? daysOff : makeUpDays).add(d.day);
    }
  }
  return { daysOff, makeUpDays, terms, countyDays };
}

/**
 * The bench's school day (China's today) and the two school days before it. The run happens on
 * whatever day the machine's clock says: where one of the three is not a school day in the county's
 * calendar (a weekend, a vacation), the county admin makes it one, as a county does for a 调休 day.
 */
export async function schoolDays(base: string, adminToken: string): Promise<string[]> {
  const today = chinaDay(new Date());
  const days = [addDays(today, -2), addDays(today, -1), today];
  const views = new Map<number, CalendarView>();
  for (const day of days) {
    const year = Number(day.slice(0, 4)) - (day.slice(5) < '09-01' ? 1 : 0);
    if (!views.has(year)) {
      const view = await call<CalendarView>(base, adminToken, 'GET', `/calendar?schoolYear=${year}`);
      if (view.status !== 200) throw new Error(`GET /calendar answered ${view.status}: ${JSON.stringify(view.body).slice(0, 300)}`);
      views.set(year, view.body);
    }
    if (isSchoolDay(day, calendarOf(views.values()))) continue;
    const set = await call(base, adminToken, 'PUT', `/calendar/days/${day}`, { kind: 'school', note: '基准测试上课日' });
    if (set.status !== 200) throw new Error(`PUT /calendar/days/${day} answered ${set.status}: ${JSON.stringify(set.body).slice(0, 300)}`);
  }
  return days;
}

/** Who is absent on the day, and why: `streak` pupils were absent without leave on the two days before too. */
export interface DayMarks {
  byClass: Map<number, Array<{ childId: string; reason: AbsenceReason }>>;
  streak: Set<string>;
  absent: number;
}

/**
 * About `share` of the pupils absent today (a quarter of them absent without leave on the two
 * school days before as well, so today's roll call makes their streak 3 — the county's default
 * `absenceReportDays`), the others sick, on personal leave or absent without leave for the first day;
 * and half a percent late (present).
 */
export function marksOfTheDay(classes: SchoolClass[], share: number, seed: number): DayMarks {
  const next = seeded(seed);
  const byClass = new Map<number, Array<{ childId: string; reason: AbsenceReason }>>();
  const streak = new Set<string>();
  let absent = 0;
  classes.forEach((c, index) => {
    const marks: Array<{ childId: string; reason: AbsenceReason }> = [];
    for (const childId of c.pupilIds) {
      const roll = next();
      if (roll < share) {
        absent++;
        if (roll < share / 4) {
          streak.add(childId);
          marks.push({ childId, reason: 'unexcused' });
        } else {
          const r = next();
          marks.push({ childId, reason: r < 0.4 ? 'sick' : r < 0.6 ? 'personal' : 'unexcused' });
        }
      } else if (roll < share + 0.005) marks.push({ childId, reason: 'late' });
    }
    byClass.set(index, marks);
  });
  return { byClass, streak, absent };
}

export const ROLL_CALL_COLUMNS = [
  'id',
  'county_code',
  'school_id',
  'grade',
  'class_name',
  'day',
  'pupils',
  'absent',
  'late',
  'client_key',
  'taken_by',
  'taken_at',
  'updated_by',
  'updated_at',
];
export const ATTENDANCE_COLUMNS = [
  'id',
  'child_id',
  'school_id',
  'day',
  'present',
  'excused',
  'source',
  'reason',
  'roll_call_id',
  'recorded_by',
  'recorded_at',
];

/** The rows a roll call of `c` on `day` leaves: the roll call, and one attendance row per marked pupil. */
export function rollCallRows(
  c: SchoolClass,
  day: string,
  marks: Array<{ childId: string; reason: AbsenceReason }>,
  at: Date,
): { rollCall: unknown[]; attendance: unknown[][] } {
  const id = newId();
  const late = marks.filter((m) => m.reason === 'late').length;
  return {
    rollCall: [
      id,
      COUNTY,
      c.schoolId,
      c.grade,
      c.className,
      day,
      c.pupilIds.length,
      marks.length - late,
      late,
      randomUUID(),
      c.teacherId,
      at,
      c.teacherId,
      at,
    ],
    attendance: marks.map((m) => [
      newId(),
      m.childId,
      c.schoolId,
      day,
      m.reason === 'late' ? 1 : 0,
      m.reason === 'unexcused' ? 0 : 1,
      'roll_call',
      m.reason,
      id,
      c.teacherId,
      at,
    ]),
  };
}

/**
 * The two school days before: every class's roll call with the streak pupils absent without leave
 * (written with multi-row INSERTs, as if taken on those days; not measured).
 */
export async function insertEarlierDays(db: Connection, classes: SchoolClass[], days: string[], marks: DayMarks): Promise<void> {
  for (const day of days) {
    const at = new Date(`${day}T08:10:00+08:00`);
    const rows = classes.map((c) =>
      rollCallRows(
        c,
        day,
        c.pupilIds.filter((id) => marks.streak.has(id)).map((childId) => ({ childId, reason: 'unexcused' as const })),
        at,
      ),
    );
    await insertRows(
      db,
      'roll_calls',
      ROLL_CALL_COLUMNS,
      rows.map((r) => r.rollCall),
    );
    await insertRows(
      db,
      'attendance',
      ATTENDANCE_COLUMNS,
      rows.flatMap((r) => r.attendance),
    );
  }
}

export interface DayRun {
  seconds: number;
  latencies: number[];
  failures: string[];
  newAlerts: number;
}

/**
 * Every class's roll call of `day` through POST /api/roll-calls, each by its own 班主任, on
 * `connections` concurrent clients taking the next class as soon as their previous answer arrived.
 */
export async function submitDay(base: string, classes: SchoolClass[], day: string, marks: DayMarks, connections: number): Promise<DayRun> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let newAlerts = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let index = next++; index < classes.length; index = next++) {
        const c = classes[index]!;
        const t0 = performance.now();
        try {
          const response = await call<{ newAlerts?: number; code?: string }>(base, c.token, 'POST', '/roll-calls', {
            clientKey: randomUUID(),
            grade: c.grade,
            className: c.className,
            day,
            marks: marks.byClass.get(index) ?? [],
          });
          latencies.push(performance.now() - t0);
          if (response.status >= 300) failures.push(`${response.status} ${response.body?.code ?? ''}`);
          else newAlerts += response.body.newAlerts ?? 0;
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, failures, newAlerts };
}
