import {
  addDays,
  chinaDay,
  idNumberCheckCharacter,
  schoolYearOf,
  semesterEntitlement,
  semesterKey,
  semesterOfDate,
  semesterSchoolYear,
  semesterStartDate,
  type ChildSex,
} from '@baoxue/shared';
import { In, IsNull, type EntityManager } from 'typeorm';
import { newId, newReadableCode } from '../../common/ids';
import { User } from '../../modules/accounts/user.entity';
import { ChildGuardian } from '../../modules/children/child-guardian.entity';
import { nameKeyOf } from '../../modules/children/child-matching';
import { Child } from '../../modules/children/child.entity';
import { EnrolmentBatch, EnrolmentNotice } from '../../modules/enrolment/enrolment.entities';
import { enrolmentNoticeText } from '../../modules/enrolment/enrolment-text';
import { School } from '../../modules/schools/school.entity';
import { SubsidyEligibilityRow, SubsidyPayment, SubsidyPolicyRow } from '../../modules/subsidies/subsidy.entities';
import { toPolicy } from '../../modules/subsidies/subsidy.mappers';
import { bulkInsert } from '../bulk-insert';

/**
 * The parents' walk-through of the demo (README): pupils of 光山县十里镇中心小学 on the roster with
 * their guardians, as the 学籍 import leaves them; one of them is the demo parent 张秀英's son, not
 * yet bound, with a binding code printed in the README; the county's graduation notices to the
 * township's junior school; his eligibility for the living allowance this school year and a
 * payment already paid. Written with the same rows the imports and the services write.
 */
export const DEMO_BINDING_CODE = 'SLZX2468';
export const DEMO_PARENT_CHILD = '王梓轩';
export const DEMO_PUPILS_SCHOOL = '光山县十里镇中心小学';
export const DEMO_JUNIOR_SCHOOL = '光山县十里镇初级中学';

const COUNTY = '411522000000';

interface DemoPupil {
  name: string;
  sex: ChildSex;
  grade: number;
  className: string;
  villageCode: string;
  /** MM-DD of the birthday; the year follows from the grade. */
  birthday: string;
  guardian: { name: string; relation: string; phone: string };
  bindingCode?: string;
}

const PUPILS: readonly DemoPupil[] = [
  {
    name: DEMO_PARENT_CHILD,
    sex: 'male',
    grade: 6,
    className: '1班',
    villageCode: '411522101203', // 吴明村
    birthday: '03-15',
    guardian: { name: '张秀英', relation: '母亲', phone: '13700001111' },
    bindingCode: DEMO_BINDING_CODE,
  },
  {
    name: '陈佳怡',
    sex: 'female',
    grade: 6,
    className: '1班',
    villageCode: '411522101203', // 吴明村
    birthday: '05-20',
    guardian: { name: '陈志强', relation: '父亲', phone: '13700002222' },
  },
  {
    name: '刘浩然',
    sex: 'male',
    grade: 6,
    className: '2班',
    villageCode: '411522101204', // 李堰塆村
    birthday: '11-02',
    guardian: { name: '刘芳', relation: '母亲', phone: '13700003333' },
  },
  {
    name: '周雨桐',
    sex: 'female',
    grade: 3,
    className: '2班',
    villageCode: '411522101205', // 姚寨村
    birthday: '07-08',
    guardian: { name: '周建华', relation: '父亲', phone: '13700004444' },
  },
];

/** A valid ID number (GB 11643) for the demo: area 光山县, the birth date, an odd sequence for boys. */
function demoIdNumber(birthDate: string, sex: ChildSex, index: number): string {
  const sequence = String(100 + index * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0');
  const first17 = `411522${birthDate.replace(/-/g, '')}${sequence}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** The birth date of a pupil in `grade` in the school year starting in `schoolYear`: 6 by 31 August of their first year. */
function birthDateFor(schoolYear: number, grade: number, birthday: string): string {
  const year = Number(birthday.slice(0, 2)) >= 9 ? schoolYear - 6 - grade : schoolYear - 5 - grade;
  return `${year}-${birthday}`;
}

export async function seedParentsWalkThrough(manager: EntityManager, now: Date): Promise<void> {
  const today = chinaDay(now);
  const schoolYear = schoolYearOf(today);
  const schools = await manager.findBy(School, { name: In([DEMO_PUPILS_SCHOOL, DEMO_JUNIOR_SCHOOL]) });
  const primary = schools.find((s) => s.name === DEMO_PUPILS_SCHOOL)!;
  const junior = schools.find((s) => s.name === DEMO_JUNIOR_SCHOOL)!;
  const admin = await manager.findOneByOrFail(User, { demoAccount: 'county-admin' });

  // 学籍: the pupils as the roster import writes them, each with a binding code and a roster guardian.
  const children: Child[] = PUPILS.map((p, i) => {
    const birthDate = birthDateFor(schoolYear, p.grade, p.birthday);
    const idNumber = demoIdNumber(birthDate, p.sex, i);
    return {
      id: newId(),
      name: p.name,
      nameKey: nameKeyOf(p.name),
      sex: p.sex,
      birthYear: Number(birthDate.slice(0, 4)),
      birthYearExact: true,
      idNumber,
      villageCode: p.villageCode,
      schoolId: primary.id,
      grade: p.grade,
      priorityGroups: [],
      studentNumber: `G${idNumber}`,
      birthDate,
      className: p.className,
      boarding: false,
      bindingCode: p.bindingCode ?? newReadableCode(8),
      countyCode: COUNTY,
      mergedIntoId: null,
      createdAt: now,
      updatedAt: now,
    };
  });
  await bulkInsert(manager, Child, children);
  await bulkInsert(
    manager,
    ChildGuardian,
    PUPILS.map((p, i) => ({ id: newId(), childId: children[i]!.id, ...p.guardian, createdAt: now })),
  );

  // 入学通知书: the county sends this year's sixth-graders on to the township's junior school next autumn.
  const entryYear = schoolYear + 1;
  const batch: EnrolmentBatch = {
    id: newId(),
    countyCode: COUNTY,
    kind: 'graduates',
    schoolYear: entryYear,
    schoolId: junior.id,
    reportOn: `${entryYear}-08-31`,
    reportTime: '上午8:00—11:30',
    reportPlace: `${junior.name}教学楼一楼大厅`,
    bring: '户口簿、小学毕业证书、本通知书回执',
    contact: '教务处 黄老师 0376-8881234',
    acknowledgeBy: `${entryYear}-07-15`,
    issuerName: '光山县教育局',
    issuedBy: admin.id,
    issuedAt: now,
  };
  await manager.insert(EnrolmentBatch, batch);
  const graduates = children.map((child, i) => ({ child, pupil: PUPILS[i]! })).filter(({ pupil }) => pupil.grade === 6);
  await bulkInsert(
    manager,
    EnrolmentNotice,
    graduates.map(({ child, pupil }) => ({
      id: newId(),
      batchId: batch.id,
      childId: child.id,
      schoolYear: entryYear,
      schoolId: junior.id,
      countyCode: COUNTY,
      villageCode: child.villageCode,
      text: enrolmentNoticeText({
        kind: 'graduates',
        childName: child.name,
        guardianNames: [pupil.guardian.name],
        birthDate: child.birthDate,
        schoolYear: entryYear,
        schoolName: junior.name,
        reportOn: batch.reportOn,
        reportTime: batch.reportTime,
        reportPlace: batch.reportPlace,
        bring: batch.bring,
        contact: batch.contact,
        acknowledgeBy: batch.acknowledgeBy,
        issuerName: batch.issuerName,
        issuedOn: today,
      }),
      issuedAt: now,
      readAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
      remindedAt: null,
      reminders: 0,
    })),
  );

  // 资助: 王梓轩's family is a registered poor household; this semester's living allowance is paid.
  const son = children[0]!;
  const semester = semesterOfDate(today);
  const eligibility = {
    schoolYear: semesterSchoolYear(semester),
    category: 'registered_poor' as const,
    stage: 'primary' as const,
    boarding: false,
  };
  await manager.insert(SubsidyEligibilityRow, {
    id: newId(),
    childId: son.id,
    countyCode: COUNTY,
    schoolId: primary.id,
    ...eligibility,
    source: 'import',
    confirmedBy: admin.id,
    confirmedAt: now,
  });
  const policies = (await manager.find(SubsidyPolicyRow, { where: [{ countyCode: IsNull() }, { countyCode: COUNTY }] })).map(toPolicy);
  const entitlement = semesterEntitlement(semester, eligibility, COUNTY, policies);
  const paidOn = [today, addDays(semesterStartDate(semester), 20)].sort()[0]!;
  await manager.insert(SubsidyPayment, {
    id: newId(),
    childId: son.id,
    countyCode: COUNTY,
    schoolId: primary.id,
    semester: semesterKey(semester),
    amountFen: entitlement.totalFen,
    status: 'paid',
    channel: 'social_security_card',
    cardTail: '3021',
    failureReason: null,
    paidOn,
    reference: `GS-${semesterKey(semester)}-01`,
    updatedBy: admin.id,
    createdAt: now,
    updatedAt: now,
  });
}
