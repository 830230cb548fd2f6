import { CASE_STATUSES, CASE_TRANSITIONS, CaseTransition, isOpenCase, type CaseStatus } from './cases';

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
  | 'several_tips'; // more than one tip is attached

export interface CaseFacts {
  status: CaseStatus;
  attendanceProven: boolean;
  returned: boolean;
  inTownship: boolean;
  tipCount: number;
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
  set_assignee: { who: ['township_leader', 'county_admin'], when: { statuses: OPEN }, label: '更换包抓干部' },
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
