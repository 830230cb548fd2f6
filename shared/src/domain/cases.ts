/**
 * The case of one child, from suspicion to 销号 (BRIEF §4). The server enforces these
 * transitions; the mini program uses the same table to offer only the next legal steps.
 */
export const CaseStatus = {
  reported: 'reported', // 待受理: a tip or a cross-check raised it
  assigned: 'assigned', // 已受理: the township accepted and named the responsible cadre (包抓干部)
  verifying: 'verifying', // 核查中
  notDropout: 'not_dropout', // 已核实非辍学 (closed)
  confirmed: 'confirmed', // 确认辍学
  persuading: 'persuading', // 劝返中: home visits logged
  escalated: 'escalated', // 升级处理: written notice, order to correct, judicial referral
  returned: 'returned', // 已返校: attendance being proven
  closed: 'closed', // 已销号
} as const;
export type CaseStatus = (typeof CaseStatus)[keyof typeof CaseStatus];
export const CASE_STATUSES = Object.values(CaseStatus) as [CaseStatus, ...CaseStatus[]];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  reported: '待受理',
  assigned: '已受理',
  verifying: '核查中',
  not_dropout: '非辍学，已结案',
  confirmed: '确认辍学',
  persuading: '劝返中',
  escalated: '升级处理',
  returned: '已返校',
  closed: '已销号',
};

/** Statuses in which a case is finished; anything else is open. */
export const FINISHED_CASE_STATUSES: readonly CaseStatus[] = ['not_dropout', 'closed'];

/** What replaces a name or a free-text note once a finished case has outlived its retention period. */
export const PSEUDONYMISED_TEXT = '（已匿名）';

export function isOpenCase(status: CaseStatus): boolean {
  return !FINISHED_CASE_STATUSES.includes(status);
}

export const CaseTransition = {
  accept: 'accept',
  startVerification: 'start_verification',
  closeNotDropout: 'close_not_dropout',
  confirm: 'confirm',
  logVisit: 'log_visit',
  escalate: 'escalate',
  recordReturn: 'record_return',
  close: 'close',
  reopen: 'reopen',
} as const;
export type CaseTransition = (typeof CaseTransition)[keyof typeof CaseTransition];

interface TransitionRule {
  from: readonly CaseStatus[];
  /** The status after the transition; `null` keeps the current one (another visit, another step). */
  to: CaseStatus | null;
  label: string;
}

export const CASE_TRANSITIONS: Record<CaseTransition, TransitionRule> = {
  accept: { from: ['reported'], to: 'assigned', label: '受理并指定包抓干部' },
  start_verification: { from: ['assigned'], to: 'verifying', label: '开始核查' },
  close_not_dropout: { from: ['reported', 'assigned', 'verifying'], to: 'not_dropout', label: '核实非辍学并结案' },
  confirm: { from: ['verifying'], to: 'confirmed', label: '确认辍学' },
  log_visit: { from: ['confirmed', 'persuading', 'escalated'], to: null, label: '登记家访劝返' },
  escalate: { from: ['confirmed', 'persuading', 'escalated'], to: 'escalated', label: '升级处理' },
  record_return: { from: ['confirmed', 'persuading', 'escalated'], to: 'returned', label: '登记返校' },
  close: { from: ['returned'], to: 'closed', label: '销号' },
  reopen: { from: ['returned', 'closed'], to: 'persuading', label: '再次辍学，重新劝返' },
};

/** The status after `transition`, or null when it is not allowed from `status`. */
export function nextCaseStatus(status: CaseStatus, transition: CaseTransition): CaseStatus | null {
  const rule = CASE_TRANSITIONS[transition];
  if (!rule.from.includes(status)) return null;
  if (rule.to) return rule.to;
  // A first home visit turns a confirmed case into persuasion; later ones keep the status.
  return status === 'confirmed' ? 'persuading' : status;
}

export function allowedCaseTransitions(status: CaseStatus): CaseTransition[] {
  return (Object.keys(CASE_TRANSITIONS) as CaseTransition[]).filter((t) => CASE_TRANSITIONS[t].from.includes(status));
}

/** Why a suspected dropout turned out not to be one (each needs evidence). */
export const NOT_DROPOUT_REASONS = {
  attending: '在校就读',
  transferred: '已转学（接收学校已确认）',
  moved_away: '已迁出本地',
  over_age: '已超过义务教育年龄',
  deferred: '经批准延缓入学或休学',
  deceased: '已死亡',
  unfounded: '线索不实',
} as const;
export type NotDropoutReason = keyof typeof NOT_DROPOUT_REASONS;

/** Dropout causes (国办发〔2017〕72号 and ledger practice); a case may have several. */
export const DROPOUT_CAUSES = {
  learning_difficulty: '学习困难或厌学',
  poverty: '因贫',
  distance: '上学远/上学难',
  lack_of_care: '关爱缺失（留守/流动）',
  migrant_work: '外出打工',
  early_marriage: '早婚早育',
  health_disability: '身体原因/残疾',
  religious_interference: '宗教或其他干扰',
  other: '其他',
} as const;
export type DropoutCause = keyof typeof DROPOUT_CAUSES;

/** Placement of a returned child. */
export const PLACEMENT_MODES = {
  regular_class: '随班就读',
  separate_class: '单独编班',
  vocational: '普职融合',
  home_teaching: '送教上门',
} as const;
export type PlacementMode = keyof typeof PLACEMENT_MODES;

/** Priority groups, flagged on the child and shown first. */
export const PRIORITY_GROUPS = {
  registered_poor: '建档立卡/脱贫户',
  monitored: '监测户',
  subsistence: '低保',
  orphan: '孤儿',
  unsupported: '事实无人抚养',
  disabled: '残疾',
  left_behind: '留守儿童',
  in_difficulty: '困境儿童',
  migrant: '随迁子女',
} as const;
export type PriorityGroup = keyof typeof PRIORITY_GROUPS;

/** Where a case came from. */
export const CASE_SOURCES = {
  tip: '监督员线索',
  cross_check: '四查三比对',
  absence: '缺勤监测',
  school: '学校上报',
  manual: '工作人员登记',
} as const;
export type CaseSource = keyof typeof CASE_SOURCES;

/** The escalation ladder after home visits (义务教育法 第58条), taken in this order. */
export const ESCALATION_STEPS = {
  written_notice: '发出《限期返校通知书》',
  order_to_correct: '批评教育、责令限期改正',
  judicial_referral: '移送司法机关',
} as const;
export type EscalationStep = keyof typeof ESCALATION_STEPS;
export const ESCALATION_ORDER = Object.keys(ESCALATION_STEPS) as EscalationStep[];

/** The next step of the ladder after those already taken, or null at the top. */
export function nextEscalationStep(taken: readonly EscalationStep[]): EscalationStep | null {
  return ESCALATION_ORDER.find((step) => !taken.includes(step)) ?? null;
}

/** How a home visit (家访劝返) ended. */
export const VISIT_OUTCOMES = {
  agreed_to_return: '同意返校',
  considering: '答应考虑',
  refused: '拒绝返校',
  not_met: '未见到监护人',
} as const;
export type VisitOutcome = keyof typeof VISIT_OUTCOMES;

/** The support each dropout cause suggests (BRIEF §4). */
export const CAUSE_SUPPORT: Record<DropoutCause, string> = {
  learning_difficulty: '安排教师一对一帮扶（师生结对）',
  poverty: '核查资助资格（两免一补、营养改善计划等）',
  distance: '协调寄宿、校车或就近入学',
  lack_of_care: '对接民政和留守儿童关爱服务',
  migrant_work: '联系务工地或家长，劝返复学',
  early_marriage: '依法制止，联系妇联和司法部门',
  health_disability: '安排送教上门或特殊教育',
  religious_interference: '联系统战、民宗部门协同劝返',
  other: '按实际情况制定帮扶措施',
};

/** Placement by time out of school (青海 practice): < 3 months original grade, 3–12 one lower, > 1 year by age. */
export function suggestedGrade(gradeWhenLeft: number, monthsOut: number, age: number | null): number {
  if (monthsOut < 3) return gradeWhenLeft;
  if (monthsOut <= 12) return Math.max(1, gradeWhenLeft - 1);
  if (age === null) return Math.max(1, gradeWhenLeft - 1);
  return Math.min(9, Math.max(1, age - 6));
}
