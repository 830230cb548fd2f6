import { randomUUID } from 'node:crypto';
import { addDays, chinaDay, schoolDaysFrom, schoolDaysUpTo, schoolYearOf, type AbsenceReason } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { newId, newReadableCode } from '../../common/ids';
import { User } from '../../modules/accounts/user.entity';
import { AttendanceDay } from '../../modules/children/attendance.entity';
import { ChildGuardian } from '../../modules/children/child-guardian.entity';
import { nameKeyOf } from '../../modules/children/child-matching';
import { Child } from '../../modules/children/child.entity';
import { Guardianship } from '../../modules/children/guardianship.entity';
import { countyCalendar } from '../../modules/school-calendar/school-calendars';
import { nationalSchedule } from '../../modules/school-calendar/national-schedule';
import { LeaveRequest } from '../../modules/school-line/leave.entity';
import { AbsenceAlert, ClassTeacher, RollCall } from '../../modules/school-line/school-line.entities';
import { School } from '../../modules/schools/school.entity';
import { bulkInsert } from '../bulk-insert';

/**
 * The school line of the demo (README): 赵敏 (`school-staff`) is 班主任 of 四年级1班 and of 六年级1班
 * (王梓轩's class), 黄振东 (`school-leader`) leads 光山县十里镇中心小学 and sees every class. The
 * school's classes have their roll calls of the last three school days before today (today's is
 * left for the demo), with a few absences: 四年级1班's 吴晓峰 absent without leave on all three, so
 * an absence alert waits for 赵敏 to contact the family; and a parent of 六年级1班 has asked for
 * sick leave, waiting for her decision. The county's calendar is the default one (terms and the
 * national schedule), which the county admin's page shows as it is.
 */
export const DEMO_CLASS_TEACHER_CLASSES = [
  { grade: 4, className: '1班' },
  { grade: 6, className: '1班' },
] as const;
export const DEMO_ABSENT_PUPIL = '吴晓峰';
export const DEMO_LEAVE_PUPIL = '陈佳怡';

const COUNTY = '411522000000';

/** 四年级1班: pupils of 十里镇's villages as the roster import writes them, with their roster guardians. */
const FOURTH_GRADERS: ReadonlyArray<[name: string, sex: 'male' | 'female', village: string, guardian: string]> = [
  ['吴晓峰', 'male', '411522101203', '吴大勇'],
  ['李欣然', 'female', '411522101203', '李红梅'],
  ['张浩宇', 'male', '411522101204', '张建军'],
  ['陈诗琪', 'female', '411522101204', '陈永刚'],
  ['刘子轩', 'male', '411522101205', '刘海燕'],
  ['周梦瑶', 'female', '411522101205', '周国庆'],
  ['黄家豪', 'male', '411522101203', '黄丽娜'],
  ['徐雅琪', 'female', '411522101204', '徐志明'],
  ['孙博文', 'male', '411522101205', '孙秀兰'],
  ['马欣怡', 'female', '411522101203', '马建华'],
  ['朱一诺', 'male', '411522101204', '朱小红'],
  ['胡雨桐', 'female', '411522101205', '胡卫东'],
];

export async function seedSchoolLine(manager: EntityManager, now: Date, schoolName: string): Promise<void> {
  const today = chinaDay(now);
  const school = await manager.findOneByOrFail(School, { name: schoolName });
  const staff = await manager.findOneByOrFail(User, { demoAccount: 'school-staff' });
  const leader = await manager.findOneByOrFail(User, { demoAccount: 'school-leader' });

  // 四年级1班 on the roster
  const birthYear = schoolYearOf(today) - 10;
  const fourth: Child[] = FOURTH_GRADERS.map(([name, sex, village], i) => ({
    id: newId(),
    name,
    nameKey: nameKeyOf(name),
    sex,
    birthYear,
    birthYearExact: true,
    idNumber: null,
    villageCode: village,
    schoolId: school.id,
    grade: 4,
    priorityGroups: [],
    studentNumber: `G4115221014${String(i + 1).padStart(2, '0')}`,
    birthDate: `${birthYear}-0${(i % 9) + 1}-1${i % 10}`,
    className: '1班',
    boarding: false,
    bindingCode: newReadableCode(8),
    countyCode: COUNTY,
    mergedIntoId: null,
    createdAt: now,
    updatedAt: now,
  }));
  await bulkInsert(manager, Child, fourth);
  await bulkInsert(
    manager,
    ChildGuardian,
    FOURTH_GRADERS.map(([, , , guardian], i) => ({
      id: newId(),
      childId: fourth[i]!.id,
      name: guardian,
      relation: '家长',
      phone: `1370000${String(5000 + i).padStart(4, '0')}`,
      createdAt: now,
    })),
  );

  // 班主任: 赵敏 of two classes, named by the school's leader
  await bulkInsert(
    manager,
    ClassTeacher,
    DEMO_CLASS_TEACHER_CLASSES.map((c) => ({ schoolId: school.id, ...c, userId: staff.id, assignedBy: leader.id, assignedAt: now })),
  );

  // the roll calls of the last three school days before today, by each class's 班主任 (the leader where there is none)
  const calendar = countyCalendar(nationalSchedule(), [], [], schoolYearOf(today) + 1);
  const days = schoolDaysUpTo(addDays(today, -1), 3, calendar);
  const pupils = await manager.find(Child, { where: { schoolId: school.id } });
  const classes = new Map<string, Child[]>();
  for (const pupil of pupils)
    if (pupil.grade && pupil.className) {
      const key = `${pupil.grade}|${pupil.className}`;
      classes.set(key, [...(classes.get(key) ?? []), pupil]);
    }
  const absent = fourth[0]!;
  const sick = fourth[3]!;
  const late = fourth[6]!;
  const rollCalls: RollCall[] = [];
  const marks: AttendanceDay[] = [];
  for (const [index, day] of days.entries()) {
    const takenAt = new Date(`${day}T08:05:00+08:00`);
    for (const [key, members] of classes) {
      const [grade, className] = [Number(key.split('|')[0]), key.split('|')[1]!];
      const taker = DEMO_CLASS_TEACHER_CLASSES.some((c) => c.grade === grade && c.className === className) ? staff : leader;
      const dayMarks: Array<[Child, AbsenceReason]> = [];
      if (members.includes(absent)) dayMarks.push([absent, 'unexcused']);
      if (members.includes(sick) && index === 1) dayMarks.push([sick, 'sick']);
      if (members.includes(late) && index === 2) dayMarks.push([late, 'late']);
      const rollCall: RollCall = {
        id: newId(),
        countyCode: COUNTY,
        schoolId: school.id,
        grade,
        className,
        day,
        pupils: members.length,
        absent: dayMarks.filter(([, reason]) => reason !== 'late').length,
        late: dayMarks.filter(([, reason]) => reason === 'late').length,
        clientKey: randomUUID(),
        takenBy: taker.id,
        takenAt,
        updatedBy: taker.id,
        updatedAt: takenAt,
      };
      rollCalls.push(rollCall);
      for (const [child, reason] of dayMarks)
        marks.push({
          id: newId(),
          childId: child.id,
          schoolId: school.id,
          day,
          present: reason === 'late',
          excused: reason !== 'unexcused',
          source: 'roll_call',
          reason,
          rollCallId: rollCall.id,
          recordedBy: taker.id,
          recordedAt: takenAt,
        });
    }
  }
  await bulkInsert(manager, RollCall, rollCalls);
  await bulkInsert(manager, AttendanceDay, marks);

  // three school days in a row without leave: the county's default limit, so the school is alerted
  if (days.length === 3)
    await manager.insert(AbsenceAlert, {
      id: newId(),
      countyCode: COUNTY,
      schoolId: school.id,
      childId: absent.id,
      grade: 4,
      className: '1班',
      streakStart: days[0]!,
      lastAbsentDay: days[2]!,
      streak: 3,
      status: 'open',
      caseId: null,
      createdAt: new Date(`${days[2]}T08:05:00+08:00`),
      updatedAt: new Date(`${days[2]}T08:05:00+08:00`),
    });

  // 陈佳怡's father, bound in the app, asks for sick leave for the next school day; 赵敏 decides
  const classmate = pupils.find((p) => p.name === DEMO_LEAVE_PUPIL);
  const leaveDay = schoolDaysFrom(addDays(today, 1), 1, calendar)[0];
  if (classmate && leaveDay) {
    const father = await manager.findOneByOrFail(ChildGuardian, { childId: classmate.id });
    const parentId = newId();
    await manager.insert(User, {
      id: parentId,
      openid: null,
      demoAccount: null,
      role: 'parent',
      displayName: father.name,
      position: null,
      unitDivisionCode: null,
      unitSchoolId: null,
      countyCode: null,
      disabled: false,
    });
    await manager.insert(Guardianship, { childId: classmate.id, userId: parentId, relation: father.relation, createdAt: now });
    await manager.insert(LeaveRequest, {
      id: newId(),
      countyCode: COUNTY,
      schoolId: school.id,
      childId: classmate.id,
      grade: classmate.grade!,
      className: classmate.className!,
      kind: 'sick',
      fromDay: leaveDay,
      toDay: leaveDay,
      reason: '发烧38.5度，医生建议在家休息一天',
      photoUploadId: null,
      status: 'pending',
      requestedBy: parentId,
      clientKey: randomUUID(),
      requestedAt: now,
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
    });
  }
}
