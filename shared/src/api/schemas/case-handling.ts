import { z } from 'zod';
import {
  DROPOUT_CAUSES,
  ESCALATION_STEPS,
  NOT_DROPOUT_REASONS,
  PLACEMENT_MODES,
  PRIORITY_GROUPS,
  VISIT_OUTCOMES,
} from '../../domain/cases';
import { FULL_ID_REASON_MIN } from '../../domain/audit';
import { isCalendarDay } from '../../domain/calendar';
import { divisionCodeField, entityId, pageQuery, textField } from '../fields';
import { dispatchReportItem } from '../reports';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

/** The version of the case the official was looking at: a stale one is refused (409) with the latest state. */
const version = z.number({ error: '缺少版本号，请刷新后重试' }).int().min(1);

export const isoDate = z
  .string({ error: '请选择日期' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDay, '不是有效日期');

const causes = z.array(z.enum(keys(DROPOUT_CAUSES), { error: '辍学原因不正确' })).max(9);

/** The transitions of BRIEF §4 other than accepting (its own endpoint) and home visits (logged as visits). */
export const caseTransitionRequest = z.discriminatedUnion(
  'transition',
  [
    z.object({ transition: z.literal('start_verification'), version, note: textField('说明', 200).nullable().default(null) }),
    z
      .object({
        transition: z.literal('close_not_dropout'),
        version,
        reason: z.enum(keys(NOT_DROPOUT_REASONS), { error: '请选择核实结果' }),
        evidence: textField('核实依据', 500, 10),
        /** For `transferred`: the school the child now attends, which confirms before the case closes. */
        receivingSchoolId: entityId.nullable().default(null),
      })
      .refine((v) => v.reason !== 'transferred' || v.receivingSchoolId !== null, {
        path: ['receivingSchoolId'],
        message: '转学需选择接收学校',
      }),
    z.object({
      transition: z.literal('confirm'),
      version,
      causes: causes.min(1, '请至少选择一项辍学原因'),
      note: textField('说明', 500).nullable().default(null),
    }),
    z.object({
      transition: z.literal('escalate'),
      version,
      step: z.enum(keys(ESCALATION_STEPS), { error: '请选择升级措施' }),
      note: textField('说明', 500).nullable().default(null),
      /** For a written notice: the date by which the child must be back. */
      deadlineOn: isoDate.nullable().default(null),
    }),
    z.object({
      transition: z.literal('record_return'),
      version,
      // a missing school is the usual mistake: say so, not that an id is malformed
      schoolId: z.uuid({ error: '请选择返校学校' }),
      grade: z.coerce.number({ error: '请选择年级' }).int().min(1, '年级应为一年级到初三').max(9, '年级应为一年级到初三'),
      placement: z.enum(keys(PLACEMENT_MODES), { error: '请选择安置方式' }),
      returnedOn: isoDate,
    }),
    z.object({ transition: z.literal('close'), version, note: textField('说明', 200).nullable().default(null) }),
    z.object({ transition: z.literal('reopen'), version, reason: textField('原因', 200, 2) }),
  ],
  { error: '操作类型不正确' },
);
export type CaseTransitionRequest = z.input<typeof caseTransitionRequest>;

export const logVisitRequest = z.object({
  version,
  visitedOn: isoDate,
  visitors: textField('走访人员', 200, 2),
  met: textField('见到的人', 100, 1),
  statedReason: textField('家庭陈述的原因', 500, 2),
  commitments: textField('承诺事项', 500).nullable().default(null),
  outcome: z.enum(keys(VISIT_OUTCOMES), { error: '请选择家访结果' }),
});

export const setCausesRequest = z.object({ version, causes });
export const setAssigneeRequest = z.object({ version, assigneeId: entityId });

export const visitView = z.object({
  id: z.string(),
  visitedOn: z.string(),
  visitors: z.string(),
  met: z.string(),
  statedReason: z.string(),
  commitments: z.string().nullable(),
  outcome: z.enum(keys(VISIT_OUTCOMES)),
  recordedByName: z.string().nullable(),
});

export const noticeView = z.object({
  id: z.string(),
  caseId: z.string(),
  childName: z.string(),
  issuedAt: z.string(),
  deadlineOn: z.string(),
  text: z.string(),
  delivery: z.enum(['app', 'paper']),
  deliveredAt: z.string().nullable(),
  receivedBy: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
});
export type NoticeView = z.infer<typeof noticeView>;

export const paperDeliveryRequest = z.object({ deliveredOn: isoDate, receivedBy: textField('签收人', 32, 1) });

export const attendanceRequest = z.object({
  days: z
    .array(
      z.object({
        day: isoDate,
        present: z.boolean({ error: '请选择到校或缺勤' }),
        excused: z.boolean().default(false),
      }),
      { error: '请填写出勤记录' },
    )
    .min(1, '请至少填写一天')
    .max(60, '一次最多填写60天'),
});

export const attendanceSummary = z.object({
  returnedOn: z.string().nullable(),
  /** School days recorded after the return, in the rule's window. */
  recorded: z.number(),
  present: z.number(),
  required: z.number(),
  window: z.number(),
  /** The 销号 rule holds. */
  satisfied: z.boolean(),
  days: z.array(z.object({ day: z.string(), present: z.boolean(), excused: z.boolean() })),
});
export type AttendanceSummary = z.infer<typeof attendanceSummary>;

export const transferRequest = z
  .object({
    version,
    toTownshipCode: divisionCodeField.nullable().default(null),
    toSchoolId: entityId.nullable().default(null),
    reason: textField('移交原因', 200, 2),
  })
  .refine((v) => (v.toTownshipCode === null) !== (v.toSchoolId === null), {
    path: ['toTownshipCode'],
    message: '请选择接收的乡镇或学校（二选一）',
  });

export const transferView = z.object({
  id: z.string(),
  caseId: z.string(),
  childName: z.string(),
  fromTownshipName: z.string().nullable(),
  toTownshipName: z.string().nullable(),
  toSchoolName: z.string().nullable(),
  reason: z.string(),
  requestedAt: z.string(),
  dueAt: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected', 'cancelled']),
  overdue: z.boolean(),
});
export const transferListResponse = z.object({ items: z.array(transferView) });
export const transferDecisionRequest = z.object({ note: textField('说明', 200).nullable().default(null) });
export const rejectTransferRequest = z.object({ note: textField('拒绝原因', 200, 2) });

export const recheckRequest = z.object({ result: z.enum(['attending', 'absent'], { error: '请选择复查结果' }) });

/** The county's (or a township's) daily dispatch list 一日一调度: what is overdue, where, and who owns it. */
export const dispatchItem = z.object({
  caseId: z.string(),
  childName: z.string(),
  /** The child's priority groups (BRIEF §4): their cases come first. */
  priorityGroups: z.array(z.enum(keys(PRIORITY_GROUPS))),
  townshipName: z.string().nullable(),
  status: z.string(),
  dueKind: z.string(),
  dueLabel: z.string(),
  dueAt: z.string(),
  overdueHours: z.number(),
  escalatedTo: z.enum(['leader', 'county']).nullable(),
  ownerName: z.string().nullable(),
});
export const dispatchResponse = z.object({
  generatedAt: z.string(),
  items: z.array(dispatchItem),
  byTownship: z.array(z.object({ townshipName: z.string(), overdue: z.number() })),
  pendingTransfers: z.array(transferView),
  rechecksDue: z.array(z.object({ id: z.string(), caseId: z.string(), childName: z.string(), dueOn: z.string() })),
  /** 整改 items of 督导 spot checks still with a township (not yet rectified), the overdue ones first. */
  rectifications: z.array(
    z.object({
      id: z.string(),
      caseNumber: z.string(),
      townshipName: z.string(),
      problem: z.string(),
      deadlineOn: z.string(),
      overdue: z.boolean(),
    }),
  ),
  /** Reports of the units below (a township's schools, a county's townships) that are late or returned (BRIEF §5a). */
  reportsDue: z.array(dispatchReportItem),
});

export const countySettingsView = z.object({
  acknowledgeHours: z.number(),
  verifyDays: z.number(),
  firstVisitDays: z.number(),
  noticeDays: z.number(),
  absenceReportDays: z.number(),
  tipsPerSupervisorPerDay: z.number(),
  escalateToCountyHours: z.number(),
  transferAcceptDays: z.number(),
  closeMinPresentDays: z.number(),
  closeWindowDays: z.number(),
  recheckDays: z.array(z.number()),
  relapseAbsenceDays: z.number(),
  absenceCaseConsecutiveDays: z.number(),
  absenceCaseMinDays: z.number(),
  absenceCaseWindowDays: z.number(),
  retentionYears: z.number(),
  complaintAnswerDays: z.number(),
  reportSchoolDueDay: z.number(),
  reportTownshipDueDay: z.number(),
  reportCountyDueDay: z.number(),
});

const positive = (label: string, max: number) =>
  z
    .number({ error: `${label}应为数字` })
    .int(`${label}应为整数`)
    .min(1, `${label}至少为1`)
    .max(max, `${label}最大为${max}`);

export const countySettingsRequest = z
  .object({
    acknowledgeHours: positive('受理时限（小时）', 24 * 7),
    verifyDays: positive('核查时限（天）', 30),
    firstVisitDays: positive('首次家访时限（天）', 30),
    noticeDays: positive('发出书面通知时限（天）', 90),
    absenceReportDays: positive('连续缺勤上报天数', 10),
    tipsPerSupervisorPerDay: positive('每日线索上限', 500),
    escalateToCountyHours: positive('升级到县级的小时数', 24 * 7),
    transferAcceptDays: positive('移交接收时限（天）', 30),
    closeMinPresentDays: positive('销号所需出勤天数', 60),
    closeWindowDays: positive('销号观察期（上学日）', 90),
    recheckDays: z.array(positive('复查天数', 365)).max(4, '最多设置4次复查'),
    relapseAbsenceDays: positive('再次辍学判定天数', 30),
    absenceCaseConsecutiveDays: positive('连续缺勤立案天数', 60),
    absenceCaseMinDays: positive('累计缺勤立案天数', 90),
    absenceCaseWindowDays: positive('累计缺勤观察天数', 90),
    retentionYears: positive('案件资料保存年限', 30),
    complaintAnswerDays: positive('资助投诉答复时限（天）', 60),
    reportSchoolDueDay: positive('学校月报截止日', 28),
    reportTownshipDueDay: positive('乡镇月报截止日', 28),
    reportCountyDueDay: positive('县季报截止日', 28),
  })
  .partial()
  .refine((v) => v.closeMinPresentDays === undefined || v.closeWindowDays === undefined || v.closeMinPresentDays <= v.closeWindowDays, {
    path: ['closeMinPresentDays'],
    message: '销号所需出勤天数不能超过观察期',
  });

/** The most cases one selection export names (a desk's selection of the inbox, issue 16). */
export const LEDGER_MAX_SELECTED = 200;

/**
 * `id1,id2,…`: case ids as one query parameter, at most {@link LEDGER_MAX_SELECTED}. It stays a
 * string (forms submit what they parse), trimmed and without repeats; the server splits it at commas.
 */
const selectedCaseIds = z
  .string({ error: '所选案件应为以逗号分隔的案件ID' })
  .overwrite((value) => [...new Set(value.split(',').map((id) => id.trim()))].filter((id) => id !== '').join(','))
  .superRefine((value, ctx) => {
    const ids = value === '' ? [] : value.split(',');
    const problem =
      ids.length === 0
        ? '请至少选择一个案件'
        : ids.length > LEDGER_MAX_SELECTED
          ? `一次最多导出${LEDGER_MAX_SELECTED}个所选案件`
          : ids.some((id) => !entityId.safeParse(id).success)
            ? '所选案件的ID格式不正确'
            : null;
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ledgerQuery = z
  .object({
    /** Only these cases (the inbox's selection), within what the caller may read anyway. */
    ids: selectedCaseIds.optional(),
    /** Cases opened from … to … (inclusive), YYYY-MM-DD. */
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** A division (township or village) inside the caller's scope. */
    under: divisionCodeField.optional(),
    /** County admins only: full ID numbers instead of masked ones (audited, with the reason). */
    revealIds: z.enum(['true', 'false'], { error: '应为 true 或 false' }).default('false'),
    /** Why full ID numbers are needed (BRIEF §7): required with `revealIds`, kept in the audit log. */
    reason: textField('导出理由', 200, FULL_ID_REASON_MIN).optional(),
  })
  .refine((v) => v.revealIds !== 'true' || v.reason !== undefined, {
    path: ['reason'],
    message: '导出完整身份证号须说明理由',
  });

export const caseFilters = pageQuery.extend({
  priorityGroup: z.enum(keys(PRIORITY_GROUPS), { error: '重点群体不正确' }).optional(),
  cause: z.enum(keys(DROPOUT_CAUSES), { error: '辍学原因不正确' }).optional(),
  under: divisionCodeField.optional(),
  schoolId: entityId.optional(),
});

export const noticeListResponse = z.object({ items: z.array(noticeView) });
export type TransferView = z.infer<typeof transferView>;
