import {
  allowedCaseActions,
  CASE_ACTION_LABELS,
  CASE_ACTIONS,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  caseActionPossible,
  caseActionRefusal,
  CaseActor,
  mayTakeCaseAction,
  TRANSITION_ACTORS,
  type CaseAction,
  type CaseFacts,
  type CaseStatus,
} from '@baoxue/shared';

const ACTORS = Object.values(CaseActor);

/**
 * BRIEF §1 and §4, written out by hand: for every action, the actors who may take it (a row of
 * letters in ACTORS' order: assignee, township leader, township cadre, village cadre, school staff,
 * receiving school, county admin). `*` is anyone who may see the case.
 */
const WHO: Record<CaseAction, string> = {
  accept: '.LC...A',
  start_verification: 'aL....A',
  close_not_dropout: 'aL....A',
  confirm: 'aL....A',
  log_visit: 'aLCVS.A',
  escalate: '.L....A',
  record_return: 'aL..S.A',
  close: '.L....A',
  reopen: 'aL..S.A',
  route: '......A',
  return_to_triage: '.LC....',
  set_causes: 'aLC...A',
  set_assignee: '.L....A',
  transfer: 'aLC...A',
  merge: 'aLC...A',
  split: 'aLC...A',
  reveal_tipster: '*',
  confirm_enrolment: '.....R.',
  record_attendance: '....S.A',
  deliver_notice: 'aLCV..A',
  complete_recheck: 'aLCVS.A',
};

const OPEN: CaseStatus[] = ['reported', 'assigned', 'verifying', 'confirmed', 'persuading', 'escalated', 'returned'];

/** When each action is offered, by status (with every fact holding). */
const WHEN: Record<CaseAction, readonly CaseStatus[]> = {
  accept: ['reported'],
  start_verification: ['assigned'],
  close_not_dropout: ['reported', 'assigned', 'verifying'],
  confirm: ['verifying'],
  log_visit: ['confirmed', 'persuading', 'escalated'],
  escalate: ['confirmed', 'persuading', 'escalated'],
  record_return: ['confirmed', 'persuading', 'escalated'],
  close: ['returned'],
  reopen: ['returned', 'closed'],
  route: OPEN,
  return_to_triage: ['reported', 'assigned'],
  set_causes: OPEN,
  set_assignee: OPEN.filter((s) => s !== 'reported'),
  transfer: OPEN,
  merge: OPEN,
  split: OPEN,
  reveal_tipster: OPEN,
  confirm_enrolment: OPEN,
  record_attendance: CASE_STATUSES,
  deliver_notice: CASE_STATUSES,
  complete_recheck: CASE_STATUSES,
};

const ALL_FACTS = { attendanceProven: true, returned: true, inTownship: true, tipCount: 2, hasAssignee: true };
const NO_FACTS = { attendanceProven: false, returned: false, inTownship: false, tipCount: 0, hasAssignee: false };

describe('the case policy', () => {
  it('has a row, a Chinese label and a hand-checked answer for every action', () => {
    expect([...CASE_ACTIONS].sort()).toEqual(Object.keys(WHO).sort());
    for (const action of CASE_ACTIONS) expect(CASE_ACTION_LABELS[action]).toMatch(/\p{Script=Han}/u);
  });

  it('answers every action × actor', () => {
    for (const action of CASE_ACTIONS) {
      ACTORS.forEach((actor, i) => {
        const expected = WHO[action] === '*' || WHO[action][i] !== '.';
        expect({ action, actor, may: mayTakeCaseAction(action, new Set([actor])) }).toEqual({ action, actor, may: expected });
      });
      // nobody at all: only what anyone in scope may do
      expect({ action, may: mayTakeCaseAction(action, new Set()) }).toEqual({ action, may: WHO[action] === '*' });
    }
  });

  it('answers every action × status', () => {
    for (const action of CASE_ACTIONS) {
      for (const status of CASE_STATUSES) {
        const possible = caseActionPossible(action, { status, ...ALL_FACTS });
        expect({ action, status, possible }).toEqual({ action, status, possible: WHEN[action].includes(status) });
      }
    }
  });

  it('needs the facts an action depends on', () => {
    const needs = (action: CaseAction, status: CaseStatus, facts: Partial<CaseFacts>) =>
      caseActionPossible(action, { status, ...ALL_FACTS, ...facts });
    expect(needs('close', 'returned', { attendanceProven: false })).toBe(false);
    expect(needs('record_attendance', 'closed', { returned: false })).toBe(false);
    expect(needs('return_to_triage', 'reported', { inTownship: false })).toBe(false);
    expect(needs('reveal_tipster', 'verifying', { tipCount: 0 })).toBe(false);
    expect(needs('reveal_tipster', 'verifying', { tipCount: 1 })).toBe(true);
    expect(needs('split', 'verifying', { tipCount: 1 })).toBe(false);
    // 更换包抓干部 only once a cadre is named
    expect(needs('set_assignee', 'assigned', { hasAssignee: false })).toBe(false);
    expect(needs('set_assignee', 'assigned', { hasAssignee: true })).toBe(true);
    const unconditional = CASE_ACTIONS.filter((a) => WHEN[a].some((s) => caseActionPossible(a, { status: s, ...NO_FACTS })));
    expect(unconditional.sort()).toEqual(
      CASE_ACTIONS.filter(
        (a) => !['close', 'record_attendance', 'return_to_triage', 'reveal_tipster', 'split', 'set_assignee'].includes(a),
      ).sort(),
    );
  });

  it('derives the transitions’ actors from the same table', () => {
    for (const transition of Object.keys(CASE_TRANSITIONS) as Array<keyof typeof CASE_TRANSITIONS>) {
      expect(ACTORS.filter((a) => TRANSITION_ACTORS[transition].includes(a))).toEqual(
        ACTORS.filter((a) => mayTakeCaseAction(transition, new Set([a]))),
      );
      expect(WHEN[transition]).toEqual(CASE_TRANSITIONS[transition].from);
    }
  });

  it('lists what a caller may do now', () => {
    const facts = { ...NO_FACTS, inTownship: true, tipCount: 1 };
    expect(allowedCaseActions(new Set(['township_leader']), { status: 'reported', ...facts })).toEqual([
      'accept',
      'close_not_dropout',
      'return_to_triage',
      'set_causes',
      'transfer',
      'merge',
      'reveal_tipster',
      'deliver_notice',
      'complete_recheck',
    ]);
    expect(allowedCaseActions(new Set(['village_cadre']), { status: 'persuading', ...facts })).toEqual([
      'log_visit',
      'reveal_tipster',
      'deliver_notice',
      'complete_recheck',
    ]);
    expect(allowedCaseActions(new Set(['school_staff']), { status: 'closed', ...facts, returned: true })).toEqual([
      'reopen',
      'record_attendance',
      'complete_recheck',
    ]);
  });

  it('refuses in Chinese, naming who may', () => {
    expect(caseActionRefusal('escalate')).toBe('此操作只能由乡镇负责人、县教育局进行');
    expect(caseActionRefusal('set_assignee')).toBe('您不能更换包抓干部：只能由乡镇负责人、县教育局进行');
    expect(caseActionRefusal('confirm_enrolment')).toBe('只有接收学校可以确认');
    expect(caseActionRefusal('accept')).toBe('只有乡镇负责人、包抓干部或县教育局可以受理案件');
  });
});
