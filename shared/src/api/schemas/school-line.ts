import { z } from 'zod';
import {
  ABSENCE_REASONS,
  ALERT_STATUSES,
  CALENDAR_DAY_KINDS,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  LEAVE_KINDS,
  LEAVE_STATUSES,
  PUPIL_CHANGE_KINDS,
  PUPIL_CHANGE_STATUSES,
  SCHOOL_TERMS,
} from '../../domain/school-line';
import { entityId, pageOf, pageQuery, textField } from '../fields';
import { isoDate } from './case-handling';

/** The school line (BRIEF §4a): calendar, classes, roll call, leave, family contact, reports, 学籍异动. */

const schoolYear = z.coerce.number({ error: '学年应为数字' }).int('学年应为整数').min(2000, '学年不正确').max(2100, '学年不正确');
const grade = z.coerce.number({ error: '请选择年级' }).int('年级不正确').min(1, '年级应为1至9').max(9, '年级应为1至9');
const className = z.string({ error: '请选择班级' }).trim().min(1, '请选择班级').max(16, '班级名称最多16个字');
/** The idempotency key a phone generates once per submission and sends with every retry. */
const clientKey = z.uuid({ error: '请求编号格式不正确' });

// ── calendar ────────────────────────────────────────────────────────────────────────────────
export const calendarQuery = z.object({ schoolYear: schoolYear.optional() });

export const termInput = z
  .object({ term: z.enum(SCHOOL_TERMS, { error: '学期不正确' }), startsOn: isoDate, endsOn: isoDate })
  .refine((t) => t.startsOn <= t.endsOn, { path: ['endsOn'], message: '学期结束日期不能早于开始日期' });

export const setTermsRequest = z.object({
  schoolYear,
  terms: z
    .array(termInput)
    .min(1, '请填写学期')
    .max(2, '一个学年最多两个学期')
    .refine((terms) => new Set(terms.map((t) => t.term)).size === terms.length, '同一学期不能填写两次'),
});

export const calendarDayParam = z.object({ day: isoDate });
export const setCalendarDayRequest = z.object({
  kind: z.enum(CALENDAR_DAY_KINDS, { error: '请选择上课或不上课' }),
  note: textField('说明', 40),
});

export const calendarDayView = z.object({
  day: z.string(),
  kind: z.enum(CALENDAR_DAY_KINDS),
  note: z.string(),
  /** `national`: the State Council's holiday schedule; `county`: the county set it. */
  source: z.enum(['national', 'county']),
});
export const termView = z.object({
  term: z.enum(SCHOOL_TERMS),
  startsOn: z.string(),
  endsOn: z.string(),
  /** The product's default dates (秋季 1 September – 20 January, 春季 after the Spring Festival), until the county sets its own. */
  isDefault: z.boolean(),
});

export const calendarView = z.object({
  countyCode: z.string(),
  schoolYear: z.number(),
  /** 2026–2027学年. */
  label: z.string(),
  terms: z.array(termView),
  /** Days the national schedule or the county set apart within the school year. */
  days: z.array(calendarDayView),
  /** School days in the year's terms. */
  schoolDays: z.number(),
  /** Calendar years of the school year whose national holiday schedule the product does not hold yet. */
  missingNationalYears: z.array(z.number()),
  today: z.string(),
  todayIsSchoolDay: z.boolean(),
});
export type CalendarView = z.infer<typeof calendarView>;

// ── classes ─────────────────────────────────────────────────────────────────────────────────
export const personRef = z.object({ userId: z.string(), name: z.string() });

export const classView = z.object({
  schoolId: z.string(),
  grade: z.number(),
  className: z.string(),
  /** 七年级2班. */
  label: z.string(),
  pupils: z.number(),
  teachers: z.array(personRef),
  /** The caller is a 班主任 of this class. */
  mine: z.boolean(),
  /** Today's roll call, if taken. */
  today: z.object({ taken: z.boolean(), absent: z.number(), takenAt: z.string().nullable() }),
});
export type ClassView = z.infer<typeof classView>;

export const classListResponse = z.object({
  schoolId: z.string(),
  schoolName: z.string(),
  today: z.string(),
  todayIsSchoolDay: z.boolean(),
  classes: z.array(classView),
  /** What waits for the caller: absent pupils to follow up, leave requests to decide. */
  openAlerts: z.number(),
  pendingLeave: z.number(),
});

export const setClassTeachersRequest = z.object({
  grade,
  className,
  userIds: z.array(entityId).max(5, '一个班最多指定5位班主任'),
});
export const classStaffResponse = z.object({ items: z.array(personRef) });

// ── roll call ───────────────────────────────────────────────────────────────────────────────
export const classDayQuery = z.object({ grade, className, day: isoDate.optional() });

export const rollCallPupil = z.object({
  childId: z.string(),
  name: z.string(),
  /** The day's approved leave, which the mark follows unless the teacher changes it. */
  leave: z.object({ id: z.string(), kind: z.enum(LEAVE_KINDS) }).nullable(),
  /** The mark stored for the day; null: present (or not taken yet). */
  mark: z.enum(ABSENCE_REASONS).nullable(),
});

export const rollCallView = z.object({
  id: z.string(),
  grade: z.number(),
  className: z.string(),
  day: z.string(),
  pupils: z.number(),
  absent: z.number(),
  late: z.number(),
  takenAt: z.string(),
  takenByName: z.string().nullable(),
  updatedAt: z.string(),
});
export type RollCallView = z.infer<typeof rollCallView>;

export const rollCallSheet = z.object({
  label: z.string(),
  day: z.string(),
  schoolDay: z.boolean(),
  /** Whether a submission now is accepted (a school day, not in the future, not closed). */
  editable: z.boolean(),
  /** Why not, in Chinese. */
  notEditableReason: z.string().nullable(),
  pupils: z.array(rollCallPupil),
  rollCall: rollCallView.nullable(),
});

export const rollCallRequest = z.object({
  clientKey,
  grade,
  className,
  day: isoDate,
  /** The pupils not simply present; everyone else is present. */
  marks: z
    .array(z.object({ childId: entityId, reason: z.enum(ABSENCE_REASONS, { error: '请选择缺勤原因' }) }))
    .max(200, '一个班最多200名学生')
    .refine((marks) => new Set(marks.map((m) => m.childId)).size === marks.length, '同一学生不能标记两次'),
});
export type RollCallRequest = z.input<typeof rollCallRequest>;

export const rollCallResponse = z.object({
  rollCall: rollCallView,
  /** Pupils who reached the county's absence limit with this roll call (the school was alerted). */
  newAlerts: z.number(),
});

export const weekQuery = z.object({ grade, className, weekOf: isoDate.optional() });
export const rollCallWeek = z.object({
  label: z.string(),
  days: z.array(z.object({ day: z.string(), schoolDay: z.boolean(), taken: z.boolean() })),
  pupils: z.array(
    z.object({
      childId: z.string(),
      name: z.string(),
      /** Per day: the mark, `present`, or null (no school, or no roll call that day). */
      marks: z.array(z.enum([...ABSENCE_REASONS, 'present']).nullable()),
    }),
  ),
  previousWeek: z.string(),
  nextWeek: z.string().nullable(),
});

// ── absence alerts, family contact, reports ─────────────────────────────────────────────────
export const absenceAlertsQuery = pageQuery.extend({ status: z.enum(ALERT_STATUSES, { error: '状态不正确' }).optional() });

export const absenceAlertView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  classLabel: z.string(),
  streak: z.number(),
  streakStart: z.string(),
  lastAbsentDay: z.string(),
  status: z.enum(ALERT_STATUSES),
  contacts: z.number(),
  /** The case the school's report or the absence rules opened, if any. */
  caseId: z.string().nullable(),
  createdAt: z.string(),
});
export type AbsenceAlertView = z.infer<typeof absenceAlertView>;
export const absenceAlertPage = pageOf(absenceAlertView);

export const familyContactRequest = z.object({
  contactedOn: isoDate,
  channel: z.enum(CONTACT_CHANNELS, { error: '请选择联系方式' }),
  /** Whom the school reached: 母亲, 爷爷, the pupil. */
  contactPerson: textField('联系对象', 20),
  outcome: z.enum(CONTACT_OUTCOMES, { error: '请选择联系结果' }),
  note: textField('情况说明', 500).nullable().default(null),
  nextStep: textField('下一步', 200).nullable().default(null),
});

export const familyContactView = z.object({
  id: z.string(),
  contactedOn: z.string(),
  channel: z.enum(CONTACT_CHANNELS),
  contactPerson: z.string(),
  outcome: z.enum(CONTACT_OUTCOMES),
  note: z.string().nullable(),
  nextStep: z.string().nullable(),
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
});

export const pupilFollowUpView = z.object({
  childId: z.string(),
  name: z.string(),
  classLabel: z.string(),
  schoolName: z.string(),
  /** Present and unexcused-absent days among the last 30 school days with a roll call. */
  lastSchoolDays: z.object({ days: z.number(), present: z.number(), unexcused: z.number(), excused: z.number() }),
  alerts: z.array(absenceAlertView),
  contacts: z.array(familyContactView),
  openCase: z.object({ id: z.string(), status: z.string(), statusLabel: z.string() }).nullable(),
});

export const reportPupilRequest = z.object({
  clientKey,
  reason: textField('上报原因', 500, 5),
});
export const reportPupilResponse = z.object({
  caseId: z.string(),
  /** The child already had an open case: the report was added to it. */
  existing: z.boolean(),
});

// ── leave ───────────────────────────────────────────────────────────────────────────────────
export const leaveRequestBody = z
  .object({
    clientKey,
    childId: entityId,
    kind: z.enum(LEAVE_KINDS, { error: '请选择病假或事假' }),
    fromDay: isoDate,
    toDay: isoDate,
    reason: textField('请假事由', 200, 2),
    /** A photo of a doctor's note (uploaded with purpose `leave_note`). */
    photoUploadId: entityId.nullable().default(null),
  })
  .refine((v) => v.fromDay <= v.toDay, { path: ['toDay'], message: '结束日期不能早于开始日期' });
export type LeaveRequestBody = z.input<typeof leaveRequestBody>;

export const leaveView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  classLabel: z.string(),
  kind: z.enum(LEAVE_KINDS),
  fromDay: z.string(),
  toDay: z.string(),
  /** School days the leave covers. */
  schoolDays: z.number(),
  reason: z.string(),
  hasPhoto: z.boolean(),
  photoUploadId: z.string().nullable(),
  /** A ten-minute link to the photo (only the parents and the class's 班主任 and leaders read leave). */
  photoUrl: z.string().nullable(),
  status: z.enum(LEAVE_STATUSES),
  decisionNote: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  requestedAt: z.string(),
});
export type LeaveView = z.infer<typeof leaveView>;
export const leavePage = pageOf(leaveView);
export const leaveListQuery = pageQuery.extend({ status: z.enum(LEAVE_STATUSES, { error: '状态不正确' }).optional() });
export const leaveDecisionRequest = z.object({
  approve: z.boolean({ error: '请选择批准或不批准' }),
  note: textField('审批意见', 200).nullable().default(null),
});

// ── 学籍异动 ─────────────────────────────────────────────────────────────────────────────────
export const pupilChangeRequest = z
  .object({
    childId: entityId,
    kind: z.enum(PUPIL_CHANGE_KINDS, { error: '请选择异动类型' }),
    effectiveOn: isoDate,
    /** transfer_out: the receiving school. */
    toSchoolId: entityId.nullable().default(null),
    /** moved_away: where the family went (省、市、县). */
    destination: textField('迁往地', 60).nullable().default(null),
    reason: textField('异动原因', 300, 2),
    /** suspension: a photo of the hospital certificate or application (purpose `pupil_change_document`). */
    documentUploadId: entityId.nullable().default(null),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'transfer_out' && !v.toSchoolId) ctx.addIssue({ code: 'custom', path: ['toSchoolId'], message: '请选择转入学校' });
    if (v.kind === 'moved_away' && !v.destination) ctx.addIssue({ code: 'custom', path: ['destination'], message: '请填写迁往地' });
    if (v.kind === 'suspension' && !v.documentUploadId)
      ctx.addIssue({ code: 'custom', path: ['documentUploadId'], message: '休学须上传证明材料照片' });
  });
export type PupilChangeRequest = z.input<typeof pupilChangeRequest>;

export const pupilChangeView = z.object({
  id: z.string(),
  childId: z.string(),
  childName: z.string(),
  kind: z.enum(PUPIL_CHANGE_KINDS),
  status: z.enum(PUPIL_CHANGE_STATUSES),
  fromSchoolName: z.string(),
  toSchoolName: z.string().nullable(),
  destination: z.string().nullable(),
  effectiveOn: z.string(),
  reason: z.string(),
  hasDocument: z.boolean(),
  documentUploadId: z.string().nullable(),
  /** A ten-minute link to the document photo: for the school that recorded the change and the county that decides it, never the receiving school. */
  documentUrl: z.string().nullable(),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decisionNote: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The open case this change closed, if any. */
  closedCaseId: z.string().nullable(),
});
export type PupilChangeView = z.infer<typeof pupilChangeView>;
export const pupilChangePage = pageOf(pupilChangeView);
export const pupilChangeListQuery = pageQuery.extend({
  /** outgoing: the caller's school's pupils; incoming: transfers to the caller's school; approval: suspensions for the county. */
  direction: z.enum(['outgoing', 'incoming', 'approval'], { error: '列表类型不正确' }).default('outgoing'),
  status: z.enum(PUPIL_CHANGE_STATUSES, { error: '状态不正确' }).optional(),
});
export const pupilChangeDecisionRequest = z.object({
  approve: z.boolean({ error: '请选择同意或不同意' }),
  note: textField('意见', 200).nullable().default(null),
});
/** The receiving school confirms a transfer; the class the pupil joins, when it knows it already (else the next roster places them). */
export const pupilChangeConfirmRequest = pupilChangeDecisionRequest.extend({ className: className.nullable().default(null) });
