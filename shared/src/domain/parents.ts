/**
 * Parents and what reaches them (BRIEF §6): binding a child, the enrolment notice 入学通知书 with
 * its receipt and deferral, and school notices.
 */

/** How a guardian is related to the child, as they state it when binding. */
export const GUARDIAN_RELATIONS = {
  father: '父亲',
  mother: '母亲',
  grandfather: '祖父',
  grandmother: '祖母',
  maternal_grandfather: '外祖父',
  maternal_grandmother: '外祖母',
  other: '其他监护人',
} as const;
export type GuardianRelation = keyof typeof GUARDIAN_RELATIONS;

/** What a bulk issue of enrolment notices covers. */
export const ENROLMENT_KINDS = {
  new_entrants: '适龄儿童入学（当年8月31日前年满6周岁）',
  graduates: '小学毕业生升入初中',
} as const;
export type EnrolmentKind = keyof typeof ENROLMENT_KINDS;

/**
 * Children born on or before this day are 6 by 31 August of the year they start school
 * (义务教育法 第十一条); those born a year earlier were due the year before.
 */
export function entrantBirthWindow(schoolYear: number): { from: string; to: string } {
  return { from: `${schoolYear - 7}-09-01`, to: `${schoolYear - 6}-08-31` };
}

/** Where one child's enrolment notice stands, for the parent and the follow-up list. */
export const ENROLMENT_NOTICE_STATES = {
  issued: '未查看',
  read: '已查看，未回执',
  acknowledged: '已回执',
  deferral_pending: '延缓入学申请审批中',
  deferred: '已批准延缓入学',
} as const;
export type EnrolmentNoticeState = keyof typeof ENROLMENT_NOTICE_STATES;

/** 延缓入学: only for the child's health (义务教育法 第十一条), approved by the township or the county. */
export const DEFERRAL_STATUSES = {
  pending: '待审批',
  approved: '已批准',
  refused: '未批准',
} as const;
export type DeferralStatus = keyof typeof DEFERRAL_STATUSES;

/** Who a school notice goes to: the guardians of the whole school, of a grade, or of a class. */
export const SCHOOL_NOTICE_AUDIENCES = {
  school: '全校',
  grade: '年级',
  class: '班级',
} as const;
export type SchoolNoticeAudience = keyof typeof SCHOOL_NOTICE_AUDIENCES;

/**
 * 《中华人民共和国义务教育法》 (2006 revision, amended 2015 and 2018): the provisions an enrolment
 * notice quotes, word for word.
 */
export const COMPULSORY_EDUCATION_LAW = {
  title: '《中华人民共和国义务教育法》',
  articles: [
    {
      number: '第五条',
      text: [
        '各级人民政府及其有关部门应当履行本法规定的各项职责，保障适龄儿童、少年接受义务教育的权利。',
        '适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育。',
        '依法实施义务教育的学校应当按照规定标准完成教育教学任务，保证教育教学质量。',
        '社会组织和个人应当为适龄儿童、少年接受义务教育创造良好的环境。',
      ],
    },
    {
      number: '第十一条',
      text: [
        '凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学接受并完成义务教育；条件不具备的地区的儿童，可以推迟到七周岁。',
        '适龄儿童、少年因身体状况需要延缓入学或者休学的，其父母或者其他法定监护人应当提出申请，由当地乡镇人民政府或者县级人民政府教育行政部门批准。',
      ],
    },
    {
      number: '第五十八条',
      text: [
        '适龄儿童、少年的父母或者其他法定监护人无正当理由未依照本法规定送适龄儿童、少年入学接受义务教育的，由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。',
      ],
    },
  ],
} as const;
