import { CASE_STATUSES, CASE_TRANSITIONS, CaseTransition, isOpenCase, type CaseStatus } from './cases';
import { COMPLAINT_TRANSITIONS, type ComplaintTransition } from './subsidies';
import type { DivisionLevel } from '../validators/division-code';
import { ROLES, type Role } from './roles';

/**
 * One access policy for cases: every action a user can take on a case, who may take it and when.
 * The server checks `who` for a single record (`requireAccess`) and offers the actions whose `who`
 * and `when` hold (`actions` of a case detail); the mini program shows buttons from that list.
 */

/**
 * What the caller is to a case (BRIEF §1, the two lines of duty): its responsible cadre, a leader
 * or cadre of its township (or of the county government), a cadre of the child's village, staff of
 * the child's school, staff of the school asked to confirm a transferred child, the county
 * education bureau. The server computes which of these the caller is.
 */
export const CaseActor = {
  assignee: 'assignee',
  townshipLeader: 'township_leader',
  townshipCadre: 'township_cadre',
  villageCadre: 'village_cadre',
  schoolStaff: 'school_staff',
  receivingSchool: 'receiving_school',
  countyAdmin: 'county_admin',
} as const;
export type CaseActor = (typeof CaseActor)[keyof typeof CaseActor];

export const CASE_ACTOR_LABELS: Record<CaseActor, string> = {
  assignee: '包抓干部',
  township_leader: '乡镇负责人',
  township_cadre: '乡镇干部',
  village_cadre: '村干部',
  school_staff: '学校教职工',
  receiving_school: '接收学校',
  county_admin: '县教育局',
};

export const CaseAction = {
  ...CaseTransition,
  route: 'route',
  returnToTriage: 'return_to_triage',
  setCauses: 'set_causes',
  setAssignee: 'set_assignee',
  transfer: 'transfer',
  merge: 'merge',
  split: 'split',
  revealTipster: 'reveal_tipster',
  confirmEnrolment: 'confirm_enrolment',
  recordAttendance: 'record_attendance',
  deliverNotice: 'deliver_notice',
  completeRecheck: 'complete_recheck',
} as const;
export type CaseAction = (typeof CaseAction)[keyof typeof CaseAction];
export const CASE_ACTIONS = Object.values(CaseAction) as [CaseAction, ...CaseAction[]];

/** A fact about the case an action needs besides its status. */
export type CaseFact =
  | 'attendance_proven' // the return is proven by attendance (销号条件)
  | 'returned' // a return to school has been recorded
  | 'in_township' // the case is with a township, not in the county's triage queue
  | 'has_tips' // a supervisor's tip is attached
  | 'has_assignee' // a responsible cadre (包抓干部) is named
  | 'several_tips'; // more than one tip is attached

export interface CaseFacts {
  status: CaseStatus;
  attendanceProven: boolean;
  returned: boolean;
  inTownship: boolean;
  tipCount: number;
  hasAssignee: boolean;
}

interface CaseActionRule {
  /** Who may take it: any of these actors, or anyone who may see the case. */
  who: readonly CaseActor[] | 'anyone_in_scope';
  /** When it is offered: the statuses it starts from and the facts it needs (the server refuses otherwise with a conflict). */
  when: { statuses: readonly CaseStatus[]; facts?: readonly CaseFact[] };
  /** What the mini program calls it (a button, a link). */
  label: string;
  /** The refusal when the caller is not among `who`, where a plainer one than the generic reads better. */
  refusal?: string;
}

const ANY: readonly CaseStatus[] = CASE_STATUSES;
const OPEN: readonly CaseStatus[] = CASE_STATUSES.filter(isOpenCase);
const TOWNSHIP_OR_ASSIGNEE: readonly CaseActor[] = ['assignee', 'township_leader', 'township_cadre', 'county_admin'];
const from = (transition: CaseTransition) => CASE_TRANSITIONS[transition].from;

export const CASE_POLICY = {
  accept: {
    who: ['township_leader', 'township_cadre', 'county_admin'],
    when: { statuses: from('accept') },
    label: '受理并指定包抓干部',
    refusal: '只有乡镇负责人、包抓干部或县教育局可以受理案件',
  },
  start_verification: {
    who: ['assignee', 'township_leader', 'county_admin'],
    when: { statuses: from('start_verification') },
    label: '开始核查',
  },
  close_not_dropout: {
    who: ['assignee', 'township_leader', 'county_admin'],
    when: { statuses: from('close_not_dropout') },
    label: '核查结果：不是辍学',
  },
  confirm: { who: ['assignee', 'township_leader', 'county_admin'], when: { statuses: from('confirm') }, label: '核查结果：确认辍学' },
  log_visit: {
    who: ['assignee', 'township_leader', 'township_cadre', 'village_cadre', 'school_staff', 'county_admin'],
    when: { statuses: from('log_visit') },
    label: '登记家访',
  },
  escalate: { who: ['township_leader', 'county_admin'], when: { statuses: from('escalate') }, label: '升级处理' },
  record_return: {
    who: ['assignee', 'township_leader', 'school_staff', 'county_admin'],
    when: { statuses: from('record_return') },
    label: '登记返校',
  },
  close: { who: ['township_leader', 'county_admin'], when: { statuses: from('close'), facts: ['attendance_proven'] }, label: '销号' },
  reopen: {
    who: ['assignee', 'township_leader', 'school_staff', 'county_admin'],
    when: { statuses: from('reopen') },
    label: '再次辍学，重新劝返',
  },
  route: { who: ['county_admin'], when: { statuses: OPEN }, label: '分派到乡镇' },
  return_to_triage: {
    who: ['township_leader', 'township_cadre'],
    when: { statuses: ['reported', 'assigned'], facts: ['in_township'] },
    label: '非本乡镇，退回',
    refusal: '只有本乡镇的负责人或包抓干部可以退回案件',
  },
  set_causes: { who: TOWNSHIP_OR_ASSIGNEE, when: { statuses: OPEN }, label: '设置辍学原因' },
  // a change of cadre: naming the first one is the acceptance
  set_assignee: {
    who: ['township_leader', 'county_admin'],
    when: { statuses: OPEN.filter((status) => status !== 'reported'), facts: ['has_assignee'] },
    label: '更换包抓干部',
  },
  transfer: { who: TOWNSHIP_OR_ASSIGNEE, when: { statuses: OPEN }, label: '移交到其他乡镇或学校' },
  merge: { who: TOWNSHIP_OR_ASSIGNEE, when: { statuses: OPEN }, label: '与其他案件合并' },
  split: { who: TOWNSHIP_OR_ASSIGNEE, when: { statuses: OPEN, facts: ['several_tips'] }, label: '拆分为新案件' },
  reveal_tipster: { who: 'anyone_in_scope', when: { statuses: OPEN, facts: ['has_tips'] }, label: '查看线索提供人' },
  confirm_enrolment: {
    who: ['receiving_school'],
    when: { statuses: OPEN },
    label: '确认已在本校就读',
    refusal: '只有接收学校可以确认',
  },
  record_attendance: { who: ['school_staff', 'county_admin'], when: { statuses: ANY, facts: ['returned'] }, label: '登记出勤' },
  deliver_notice: {
    who: ['assignee', 'township_leader', 'township_cadre', 'village_cadre', 'county_admin'],
    when: { statuses: ANY },
    label: '登记送达',
  },
  complete_recheck: {
    who: ['assignee', 'township_leader', 'township_cadre', 'village_cadre', 'school_staff', 'county_admin'],
    when: { statuses: ANY },
    label: '登记复查',
  },
} as const satisfies Record<CaseAction, CaseActionRule>;

export const CASE_ACTION_LABELS = Object.fromEntries(CASE_ACTIONS.map((a) => [a, CASE_POLICY[a].label])) as Record<CaseAction, string>;

/** Who may make each transition: the transitions' rows of the policy. */
export const TRANSITION_ACTORS = Object.fromEntries(
  (Object.keys(CASE_TRANSITIONS) as CaseTransition[]).map((t): [CaseTransition, readonly CaseActor[]] => [t, CASE_POLICY[t].who]),
) as Record<CaseTransition, readonly CaseActor[]>;

/** Whether a caller who may see the case and is `actors` to it may take `action` (whatever its state). */
export function mayTakeCaseAction(action: CaseAction, actors: ReadonlySet<CaseActor>): boolean {
  const who: CaseActionRule['who'] = CASE_POLICY[action].who;
  return who === 'anyone_in_scope' || who.some((actor) => actors.has(actor));
}

export function mayMakeTransition(actors: ReadonlySet<CaseActor>, transition: CaseTransition): boolean {
  return mayTakeCaseAction(transition, actors);
}

const FACT_HOLDS: Record<CaseFact, (facts: CaseFacts) => boolean> = {
  attendance_proven: (f) => f.attendanceProven,
  returned: (f) => f.returned,
  in_township: (f) => f.inTownship,
  has_tips: (f) => f.tipCount > 0,
  several_tips: (f) => f.tipCount > 1,
  has_assignee: (f) => f.hasAssignee,
};

/** Whether the case's state lets `action` be taken now. */
export function caseActionPossible(action: CaseAction, facts: CaseFacts): boolean {
  const when: CaseActionRule['when'] = CASE_POLICY[action].when;
  return when.statuses.includes(facts.status) && (when.facts ?? []).every((fact) => FACT_HOLDS[fact](facts));
}

/** Every action the caller may take on the case now, in the table's order. */
export function allowedCaseActions(actors: ReadonlySet<CaseActor>, facts: CaseFacts): CaseAction[] {
  return CASE_ACTIONS.filter((action) => mayTakeCaseAction(action, actors) && caseActionPossible(action, facts));
}

/** The refusal for a caller not among an action's `who`. */
export function caseActionRefusal(action: CaseAction): string {
  const rule: CaseActionRule = CASE_POLICY[action];
  if (rule.refusal) return rule.refusal;
  if (rule.who === 'anyone_in_scope') return '您无权处理该案件';
  const actors = rule.who.map((a) => CASE_ACTOR_LABELS[a]).join('、');
  return action in CASE_TRANSITIONS ? `此操作只能由${actors}进行` : `您不能${rule.label}：只能由${actors}进行`;
}

/**
 * The same policy for the records other than cases: a deferral application, student aid (rates,
 * eligibility, payments, complaints), the ledger, the dispatch list, child records, enrolment and
 * school notices. The server computes what the caller is to the record (`recordActorsFor`) and
 * checks a row in one place (`requireRecordAccess`); whether the record is in the caller's scope at
 * all is checked before (out of scope reads as not found), by the `read_…` rows: who may read a
 * kind of record (cases too), each actor reaching it by its `READ_RELATION`. Lists narrow to what
 * the relation reaches (`applyScope` on the server), single records are checked the same way.
 */
export const RecordActor = {
  /** The county education bureau of the record's county. */
  countyAdmin: 'county_admin',
  /** A leader of a division unit (of a level the row names) whose area holds the record. */
  divisionLeader: 'division_leader',
  /** A cadre of such a unit. */
  divisionCadre: 'division_cadre',
  /** Staff of a school (of the record's school when it has one). */
  schoolStaff: 'school_staff',
  /** The school's leader (校长, position `leader` of a school unit) of the record's school. */
  schoolLeader: 'school_leader',
  /** A 班主任 of the record's class (the service says whether the caller teaches it). */
  classTeacher: 'class_teacher',
  /** A guardian bound to the record's child (any parent where there is no child yet). */
  guardian: 'guardian',
  /** A social supervisor. */
  supervisor: 'supervisor',
  /**
   * The education department of a prefecture or province (市、省教育局) whose division prefix holds the
   * record: it reads aggregates of its counties only, never a child's, parent's or tipster's data.
   */
  regionAdmin: 'region_admin',
} as const;
export type RecordActor = (typeof RecordActor)[keyof typeof RecordActor];

/**
 * How each actor reaches the records a `read_…` row lets it read: a county admin those of their
 * county, a division's leaders and cadres those placed under their unit's division code (at the
 * levels the row names), school staff their own school's, a guardian their bound children's, a
 * supervisor what they sent themselves.
 */
export type ReadRelation = 'county' | 'division' | 'school' | 'class' | 'bound_child' | 'own' | 'region';
export const READ_RELATION = {
  county_admin: 'county',
  division_leader: 'division',
  division_cadre: 'division',
  school_staff: 'school',
  school_leader: 'school',
  class_teacher: 'class',
  guardian: 'bound_child',
  supervisor: 'own',
  region_admin: 'region',
} as const satisfies Record<RecordActor, ReadRelation>;

export const RecordAction = {
  decideDeferral: 'decide_deferral', // approve or refuse 延缓入学
  acceptComplaint: 'accept_complaint',
  answerComplaint: 'answer_complaint',
  reopenComplaint: 'reopen_complaint',
  closeComplaint: 'close_complaint',
  // student aid (资助), kept by the county's student-aid office
  manageSubsidyPolicies: 'manage_subsidy_policies', // the county's own rates: add one, end one
  manageEligibility: 'manage_eligibility', // confirm, revoke or import who receives the living allowance
  importPayments: 'import_payments', // the county's payment sheets
  exportLedgerIds: 'export_ledger_ids', // the ledger with full ID numbers
  readDispatch: 'read_dispatch', // 一日一调度
  reviewChildren: 'review_children', // check review pairs, merge and split child records
  issueEnrolmentNotices: 'issue_enrolment_notices',
  sendSchoolNotice: 'send_school_notice',
  uploadTipEvidence: 'upload_tip_evidence',
  uploadDeferralDocument: 'upload_deferral_document', // the photo of a hospital certificate for a deferral
  uploadLeaveNote: 'upload_leave_note', // the photo of a doctor's note for a leave request
  uploadPupilChangeDocument: 'upload_pupil_change_document', // the school's photo of a 休学 certificate or application
  // the county's own records, kept by its education bureau
  issueInvitations: 'issue_invitations', // issue and revoke invitation codes
  manageSchools: 'manage_schools', // add a school, change one
  importDivisions: 'import_divisions', // the county's division codes
  importRegistry: 'import_registry', // 名册 (roster, household, poverty, absences) and the list of imports
  runCrosscheck: 'run_crosscheck', // 四查三比对: start a run, list runs, decide the pairs to review
  // reading: what lists and single records of each kind the caller sees
  readCase: 'read_case', // the inbox, the triage queue, a case, the ledger
  readTip: 'read_tip', // a supervisor's own tips
  readChild: 'read_child',
  readDeferral: 'read_deferral',
  readEnrolmentNotice: 'read_enrolment_notice', // notices, and the batches and follow-up lists made of them
  readSchoolNotice: 'read_school_notice',
  readAccount: 'read_account',
  readInvitation: 'read_invitation',
  readTransfer: 'read_transfer', // the transfers waiting for the caller's township or school
  readStats: 'read_stats', // dropout statistics of a unit
  readDashboard: 'read_dashboard', // the home dashboard (工作台): a unit's case figures, rates, trend and dispatch items
  manageCohortIntake: 'manage_cohort_intake', // the county's grade-1 intake of earlier years, for 巩固率
  readEligibility: 'read_eligibility', // 资助对象 by school year
  readPayment: 'read_payment',
  readComplaint: 'read_complaint', // a subsidy complaint and its timeline
  readAudit: 'read_audit', // the audit log: who read, revealed, exported or changed what (reading it is audited too)
  readAccessHistory: 'read_access_history', // a parent: which units read their child's record (PIPL art. 44–45)
  // the school line (BRIEF §4a)
  manageCalendar: 'manage_calendar', // the county's school calendar: terms, days off, 调休 school days
  manageClasses: 'manage_classes', // name the 班主任 of a class
  takeRollCall: 'take_roll_call', // 点名: a class's absences of a day
  requestLeave: 'request_leave', // a parent asks for leave for their child
  decideLeave: 'decide_leave', // approve or refuse a leave request
  followAbsence: 'follow_absence', // record a contact with the family, report a pupil as a suspected dropout
  recordPupilChange: 'record_pupil_change', // 学籍异动: transfer out, suspension, moved away
  confirmTransferIn: 'confirm_transfer_in', // the receiving school confirms a pupil transferred in
  decideSuspension: 'decide_suspension', // the county approves or refuses 休学
  readClass: 'read_class', // classes, their pupils and 班主任
  readRollCall: 'read_roll_call', // a class's roll calls and its week grid
  readLeave: 'read_leave',
  readAbsenceAlert: 'read_absence_alert', // pupils absent without leave to follow up, and the contacts made
  readPupilChange: 'read_pupil_change',
  // above the county (BRIEF §1, §5a): aggregates only
  readRegion: 'read_region', // the region's overview: one row of figures per onboarded county, prefecture subtotals
  readScorecard: 'read_scorecard', // 考核排名: townships and schools of a county, or a region's counties, ranked (counts only)
  readDataQuality: 'read_data_quality', // 数据质量: records of the caller's unit that look fabricated or impossible, by rule
  publishCircular: 'publish_circular', // 通报: the county publishes a scorecard of a period to its townships and schools
  readCircular: 'read_circular', // a 通报: the county that published it, the township leaders and school staff it went to
  // 督导 spot checks (BRIEF §5a)
  drawSpotCheck: 'draw_spot_check', // the county draws a sample of closed cases per township
  inspectSpotCheck: 'inspect_spot_check', // an inspector records whether a sampled child is really in class
  readSpotCheck: 'read_spot_check', // the draws and their findings (a region: no child's personal data)
  reportRectification: 'report_rectification', // the township records what it did about a 整改 item
  reviewRectification: 'review_rectification', // the county accepts a rectification or returns it
  readRectification: 'read_rectification',
  // periodic reports (BRIEF §5a): a school's leader, a township's leaders and the county bureau report
  // their own unit; the level above reviews (a school's township, a township's county, a county's region)
  submitReport: 'submit_report',
  reviewReport: 'review_report',
  readReport: 'read_report',
} as const;
export type RecordAction = (typeof RecordAction)[keyof typeof RecordAction];
/** The rows that say who reads a kind of record. */
export type ReadAction = Extract<RecordAction, `read_${string}`>;
export const RECORD_ACTIONS = Object.values(RecordAction) as [RecordAction, ...RecordAction[]];

export type RecordKind =
  | 'case'
  | 'tip'
  | 'deferral'
  | 'complaint'
  | 'subsidy_policy'
  | 'eligibility'
  | 'payment'
  | 'ledger'
  | 'dispatch'
  | 'child'
  | 'enrolment_batch'
  | 'enrolment_notice'
  | 'school_notice'
  | 'upload'
  | 'account'
  | 'invitation'
  | 'transfer'
  | 'stats'
  | 'school'
  | 'division'
  | 'registry_import'
  | 'crosscheck'
  | 'audit'
  | 'calendar'
  | 'school_class'
  | 'roll_call'
  | 'leave'
  | 'absence_alert'
  | 'pupil_change'
  | 'circular'
  | 'spot_check'
  | 'rectification'
  | 'report';

interface RecordActionRule {
  record: RecordKind;
  who: readonly RecordActor[];
  /** The levels of division units whose leaders and cadres count; every level when absent. */
  levels?: readonly DivisionLevel[];
  /** The refusal for a caller not among `who`, and the fields it names. */
  refusal: string;
  fields?: Readonly<Record<string, string>>;
}

const UPLOAD_REFUSAL = { refusal: '您不能上传此类照片', fields: { purpose: '上传用途与您的身份不符' } };

const COMPLAINT_SIDE_ACTOR = { parent: 'guardian', county: 'county_admin' } as const;
const COMPLAINT_SIDE_LABELS = { parent: '家长', county: '县学生资助管理中心' } as const;

/** A complaint's rows follow its transitions' sides (the parent, the county's student-aid office). */
function complaintRule(transition: ComplaintTransition): RecordActionRule {
  const { by, label } = COMPLAINT_TRANSITIONS[transition];
  return {
    record: 'complaint',
    who: by.map((side) => COMPLAINT_SIDE_ACTOR[side]),
    refusal: `${label}由${by.map((side) => COMPLAINT_SIDE_LABELS[side]).join('或')}进行`,
  };
}

export const RECORD_POLICY: Record<RecordAction, RecordActionRule> = {
  decide_deferral: {
    record: 'deferral',
    who: ['county_admin', 'division_leader', 'division_cadre'],
    levels: ['township'],
    refusal: '延缓入学由乡镇人民政府或县教育局审批',
  },
  accept_complaint: complaintRule('accept'),
  answer_complaint: complaintRule('answer'),
  reopen_complaint: complaintRule('reopen'),
  close_complaint: complaintRule('close'),
  manage_subsidy_policies: { record: 'subsidy_policy', who: ['county_admin'], refusal: '本县资助标准由县学生资助管理中心制定' },
  manage_eligibility: { record: 'eligibility', who: ['county_admin'], refusal: '资助对象由县学生资助管理中心认定' },
  import_payments: { record: 'payment', who: ['county_admin'], refusal: '资助发放表由县学生资助管理中心导入' },
  export_ledger_ids: {
    record: 'ledger',
    who: ['county_admin'],
    refusal: '只有县教育局可以导出完整身份证号',
    fields: { revealIds: '无权导出完整身份证号' },
  },
  read_dispatch: {
    record: 'dispatch',
    who: ['county_admin', 'division_leader', 'division_cadre'],
    refusal: '调度清单仅对县教育局和乡镇负责人开放',
  },
  review_children: {
    record: 'child',
    who: ['county_admin', 'division_leader'],
    levels: ['township'],
    refusal: '只有县教育局或乡镇负责人可以核对、合并和拆分儿童记录',
  },
  issue_enrolment_notices: {
    record: 'enrolment_batch',
    who: ['county_admin', 'school_staff'],
    refusal: '入学通知书由县教育局或学校发出',
  },
  send_school_notice: { record: 'school_notice', who: ['school_staff'], refusal: '学校通知只能由学校教职工发出' },
  upload_tip_evidence: { record: 'upload', who: ['supervisor'], ...UPLOAD_REFUSAL },
  upload_deferral_document: { record: 'upload', who: ['guardian'], ...UPLOAD_REFUSAL },
  upload_leave_note: { record: 'upload', who: ['guardian'], ...UPLOAD_REFUSAL },
  upload_pupil_change_document: { record: 'upload', who: ['school_staff'], ...UPLOAD_REFUSAL },
  // a region admin invites colleagues of its own region only (the service checks the role and the unit)
  issue_invitations: { record: 'invitation', who: ['county_admin', 'region_admin'], refusal: '只有县教育局可以发放和撤销邀请码' },
  manage_schools: { record: 'school', who: ['county_admin'], refusal: '只有县教育局可以新增和修改学校' },
  import_divisions: { record: 'division', who: ['county_admin'], refusal: '只有县教育局可以导入本县的区划代码' },
  import_registry: { record: 'registry_import', who: ['county_admin'], refusal: '只有县教育局可以导入名册' },
  run_crosscheck: { record: 'crosscheck', who: ['county_admin'], refusal: '只有县教育局可以进行四查三比对' },
  read_case: { record: 'case', who: ['county_admin', 'division_leader', 'division_cadre', 'school_staff'], refusal: '您无权查看案件' },
  read_tip: { record: 'tip', who: ['supervisor'], refusal: '只能查看自己提交的线索' },
  read_child: {
    record: 'child',
    who: ['county_admin', 'division_leader', 'division_cadre', 'school_staff', 'guardian'],
    refusal: '您无权查看该儿童的信息',
  },
  // a school does not see deferrals: they are decided by the child's township, found by its village
  read_deferral: {
    record: 'deferral',
    who: ['county_admin', 'division_leader', 'division_cadre'],
    refusal: '延缓入学申请仅对县教育局和乡镇、村干部开放',
  },
  read_enrolment_notice: {
    record: 'enrolment_notice',
    who: ['county_admin', 'division_leader', 'division_cadre', 'school_staff', 'guardian'],
    refusal: '您无权查看入学通知书',
  },
  // a school notice is placed by its county only: below the county, divisions do not see them
  read_school_notice: {
    record: 'school_notice',
    who: ['county_admin', 'division_leader', 'division_cadre', 'school_staff'],
    levels: ['county'],
    refusal: '您无权查看学校通知',
  },
  read_account: { record: 'account', who: ['county_admin'], refusal: '只有县教育局可以查看本县账号' },
  read_invitation: { record: 'invitation', who: ['county_admin', 'region_admin'], refusal: '只有县教育局可以查看邀请码' },
  // a transfer waits for the township (its leaders and cadres) or the school it was sent to
  read_transfer: {
    record: 'transfer',
    who: ['division_leader', 'division_cadre', 'school_staff'],
    levels: ['township'],
    refusal: '只有接收移交的乡镇或学校可以处理移交',
  },
  // the county sees all its units, a division its own area, a school itself; a region a county of its
  // area, by township at most (the drill-down stops at the county's figures)
  read_stats: {
    record: 'stats',
    who: ['county_admin', 'division_leader', 'division_cadre', 'school_staff', 'region_admin'],
    refusal: '您无权查看辍学统计',
  },
  // the home dashboard is the county's for its education bureau and a township's for its leaders
  read_dashboard: {
    record: 'stats',
    who: ['county_admin', 'division_leader'],
    levels: ['township'],
    refusal: '工作台仅对县教育局和乡镇负责人开放',
  },
  manage_cohort_intake: { record: 'stats', who: ['county_admin'], refusal: '往年入学人数由县教育局填报' },
  read_eligibility: { record: 'eligibility', who: ['county_admin'], refusal: '资助对象名单仅对县学生资助管理中心开放' },
  read_payment: { record: 'payment', who: ['county_admin'], refusal: '资助发放记录仅对县学生资助管理中心开放' },
  // a guardian reads the complaints about their bound children; the office those of its county
  read_complaint: { record: 'complaint', who: ['county_admin', 'guardian'], refusal: '资助投诉仅对家长和县学生资助管理中心开放' },
  // the county bureau reads its county's audit log, a township's leaders their township's
  read_audit: {
    record: 'audit',
    who: ['county_admin', 'division_leader'],
    levels: ['township'],
    refusal: '审计日志仅对县教育局和乡镇负责人开放',
  },
  // a bound guardian reads who read their child's record; officials by role and unit, never tipsters
  read_access_history: { record: 'child', who: ['guardian'], refusal: '只有绑定孩子的家长可以查看孩子信息的查阅记录' },
  // the school line: a 班主任 keeps their classes, the school's leader all of the school's classes
  // (the leader comes first in `who`: a list reads by the first relation the caller has)
  manage_calendar: { record: 'calendar', who: ['county_admin'], refusal: '校历由县教育局维护' },
  manage_classes: { record: 'school_class', who: ['school_leader'], refusal: '班主任由学校负责人指定' },
  take_roll_call: { record: 'roll_call', who: ['school_leader', 'class_teacher'], refusal: '只有本班班主任或学校负责人可以点名' },
  request_leave: { record: 'leave', who: ['guardian'], refusal: '只有绑定孩子的家长可以为孩子请假' },
  decide_leave: { record: 'leave', who: ['school_leader', 'class_teacher'], refusal: '请假由班主任或学校负责人审批' },
  follow_absence: {
    record: 'absence_alert',
    who: ['school_leader', 'class_teacher'],
    refusal: '缺勤学生由班主任或学校负责人跟进和上报',
  },
  record_pupil_change: { record: 'pupil_change', who: ['school_staff'], refusal: '学籍异动由学生所在学校登记' },
  confirm_transfer_in: { record: 'pupil_change', who: ['school_staff'], refusal: '转学由接收学校确认' },
  decide_suspension: { record: 'pupil_change', who: ['county_admin'], refusal: '休学由县教育局审批' },
  read_class: { record: 'school_class', who: ['school_leader', 'class_teacher'], refusal: '您无权查看该班级' },
  read_roll_call: { record: 'roll_call', who: ['school_leader', 'class_teacher'], refusal: '您无权查看该班级的点名记录' },
  read_leave: {
    record: 'leave',
    who: ['guardian', 'school_leader', 'class_teacher'],
    refusal: '请假记录仅对家长、班主任和学校负责人开放',
  },
  read_absence_alert: {
    record: 'absence_alert',
    who: ['school_leader', 'class_teacher'],
    refusal: '缺勤跟进仅对班主任和学校负责人开放',
  },
  read_pupil_change: {
    record: 'pupil_change',
    who: ['school_staff', 'county_admin'],
    refusal: '学籍异动仅对相关学校和县教育局开放',
  },
  read_region: { record: 'stats', who: ['region_admin'], refusal: '区域概览仅对市、省教育局开放' },
  // the county ranks its townships and schools; a township's leaders see the township table (ranking is
  // public within the county); a region its counties. Aggregates only (the service checks the table)
  read_scorecard: {
    record: 'stats',
    who: ['county_admin', 'division_leader', 'region_admin'],
    levels: ['township'],
    refusal: '考核排名仅对县教育局、乡镇负责人和市、省教育局开放',
  },
  // the county checks its records; a township's leaders their township's (case numbers and who logged what, as on the cases)
  read_data_quality: {
    record: 'case',
    who: ['county_admin', 'division_leader'],
    levels: ['township'],
    refusal: '数据质量检查仅对县教育局和乡镇负责人开放',
  },
  publish_circular: { record: 'circular', who: ['county_admin'], refusal: '通报由县教育局发布' },
  // sent to every township leader and every school's staff of the county (a receipt each: the service reads through it)
  read_circular: {
    record: 'circular',
    who: ['county_admin', 'division_leader', 'school_staff'],
    levels: ['township'],
    refusal: '通报仅对县教育局、乡镇负责人和学校教职工开放',
  },
  draw_spot_check: { record: 'spot_check', who: ['county_admin'], refusal: '督导抽查由县教育局抽样' },
  // a county's own inspectors, or a prefecture's or province's for a cross-county check (case number,
  // township, school and grade only: the service leaves the child's personal data out for them)
  inspect_spot_check: {
    record: 'spot_check',
    who: ['county_admin', 'region_admin'],
    refusal: '督导核查由县教育局或市、省教育局进行',
  },
  read_spot_check: {
    record: 'spot_check',
    who: ['county_admin', 'region_admin'],
    refusal: '督导抽查仅对县教育局和市、省教育局开放',
  },
  report_rectification: {
    record: 'rectification',
    who: ['division_leader', 'division_cadre'],
    levels: ['township'],
    refusal: '整改情况由乡镇负责人或乡镇干部登记',
  },
  review_rectification: { record: 'rectification', who: ['county_admin'], refusal: '整改由县教育局验收' },
  read_rectification: {
    record: 'rectification',
    who: ['county_admin', 'division_leader', 'division_cadre'],
    levels: ['township'],
    refusal: '整改事项仅对县教育局和乡镇开放',
  },
  // the service checks the unit: a school's leader its school, a township's leaders their township, a
  // county admin its county (submitting for another unit is refused naming the field `unit`)
  submit_report: {
    record: 'report',
    who: ['school_leader', 'division_leader', 'county_admin'],
    levels: ['township'],
    refusal: '定期报告由学校负责人、乡镇负责人或县教育局上报',
  },
  // the level above: a school's township leaders, a township's county bureau, a county's prefecture and province
  review_report: {
    record: 'report',
    who: ['division_leader', 'county_admin', 'region_admin'],
    levels: ['township'],
    refusal: '定期报告由上一级（乡镇负责人、县教育局或市、省教育局）审核',
  },
  read_report: {
    record: 'report',
    who: ['school_leader', 'division_leader', 'county_admin', 'region_admin'],
    levels: ['township'],
    refusal: '定期报告仅对报告单位及其上级开放',
  },
};

/** The complaint action of a transition. */
export const COMPLAINT_ACTIONS: Record<ComplaintTransition, RecordAction> = {
  accept: 'accept_complaint',
  answer: 'answer_complaint',
  reopen: 'reopen_complaint',
  close: 'close_complaint',
};

export function mayTakeRecordAction(action: RecordAction, actors: ReadonlySet<RecordActor>): boolean {
  return RECORD_POLICY[action].who.some((actor) => actors.has(actor));
}

/** The role each record actor holds. */
export const RECORD_ACTOR_ROLES: Record<RecordActor, Role> = {
  county_admin: 'county_admin',
  division_leader: 'official',
  division_cadre: 'official',
  school_staff: 'official',
  school_leader: 'official',
  class_teacher: 'official',
  guardian: 'parent',
  supervisor: 'supervisor',
  region_admin: 'region_admin',
};

/** The role each case actor holds. */
export const CASE_ACTOR_ROLES: Record<CaseActor, Role> = {
  assignee: 'official',
  township_leader: 'official',
  township_cadre: 'official',
  village_cadre: 'official',
  school_staff: 'official',
  receiving_school: 'official',
  county_admin: 'county_admin',
};

/** A row of `CASE_POLICY` or `RECORD_POLICY`: what a route of the shared table declares it takes (`policy`). */
export type PolicyRow = { case: CaseAction } | { record: RecordAction };

/**
 * The roles the actors of a row hold (every role that reaches records when the row lets anyone in
 * scope take it); null when the table has no such row.
 */
export function policyRowRoles(row: PolicyRow): Role[] | null {
  let roles: Role[];
  if ('case' in row) {
    if (!Object.prototype.hasOwnProperty.call(CASE_POLICY, row.case)) return null;
    const who: CaseActionRule['who'] = CASE_POLICY[row.case].who;
    roles = who === 'anyone_in_scope' ? Object.values(CASE_ACTOR_ROLES) : who.map((actor) => CASE_ACTOR_ROLES[actor]);
  } else {
    if (!Object.prototype.hasOwnProperty.call(RECORD_POLICY, row.record)) return null;
    roles = RECORD_POLICY[row.record].who.map((actor) => RECORD_ACTOR_ROLES[actor]);
  }
  return ROLES.filter((role) => roles.includes(role));
}

/** The roles that may take any of `actions` at all: the coarse first filter (`@RolesFor`) of their routes. */
export function recordActionRoles(...actions: RecordAction[]): Role[] {
  const roles = new Set(actions.flatMap((action) => RECORD_POLICY[action].who.map((actor) => RECORD_ACTOR_ROLES[actor])));
  return ROLES.filter((role) => roles.has(role));
}
