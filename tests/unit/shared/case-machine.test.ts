import {
  allowedCaseTransitions,
  CASE_STATUSES,
  CASE_TRANSITIONS,
  isOpenCase,
  mayMakeTransition,
  nextCaseStatus,
  nextEscalationStep,
  suggestedGrade,
  TRANSITION_ACTORS,
  type CaseStatus,
  type CaseTransition,
} from '@baoxue/shared';

/** BRIEF §4, written out by hand: every legal move, and where it leads. */
const LEGAL: Array<[CaseStatus, CaseTransition, CaseStatus]> = [
  ['reported', 'accept', 'assigned'],
  ['assigned', 'start_verification', 'verifying'],
  ['reported', 'close_not_dropout', 'not_dropout'],
  ['assigned', 'close_not_dropout', 'not_dropout'],
  ['verifying', 'close_not_dropout', 'not_dropout'],
  ['verifying', 'confirm', 'confirmed'],
  ['confirmed', 'log_visit', 'persuading'],
  ['persuading', 'log_visit', 'persuading'],
  ['escalated', 'log_visit', 'escalated'],
  ['confirmed', 'escalate', 'escalated'],
  ['persuading', 'escalate', 'escalated'],
  ['escalated', 'escalate', 'escalated'],
  ['confirmed', 'record_return', 'returned'],
  ['persuading', 'record_return', 'returned'],
  ['escalated', 'record_return', 'returned'],
  ['returned', 'close', 'closed'],
  ['returned', 'reopen', 'persuading'],
  ['closed', 'reopen', 'persuading'],
];

const TRANSITIONS = Object.keys(CASE_TRANSITIONS) as CaseTransition[];

describe('the case state machine', () => {
  it('allows exactly the legal transitions, each to its status', () => {
    for (const [from, transition, to] of LEGAL)
      expect({ from, transition, to: nextCaseStatus(from, transition) }).toEqual({ from, transition, to });
  });

  it('refuses every other transition from every status', () => {
    const legal = new Set(LEGAL.map(([from, transition]) => `${from}:${transition}`));
    let refused = 0;
    for (const status of CASE_STATUSES) {
      for (const transition of TRANSITIONS) {
        if (legal.has(`${status}:${transition}`)) continue;
        expect({ status, transition, to: nextCaseStatus(status, transition) }).toEqual({ status, transition, to: null });
        refused++;
      }
    }
    expect(refused).toBe(CASE_STATUSES.length * TRANSITIONS.length - LEGAL.length);
  });

  it('lists the allowed transitions of each status', () => {
    for (const status of CASE_STATUSES) {
      const expected = LEGAL.filter(([from]) => from === status).map(([, t]) => t);
      expect({ status, allowed: allowedCaseTransitions(status).sort() }).toEqual({ status, allowed: [...new Set(expected)].sort() });
    }
  });

  it('treats not-a-dropout and 销号 as finished, everything else as open', () => {
    expect(CASE_STATUSES.filter((s) => !isOpenCase(s)).sort()).toEqual(['closed', 'not_dropout']);
  });

  it('names who may make each transition', () => {
    expect(mayMakeTransition(new Set(['village_cadre']), 'escalate')).toBe(false);
    expect(mayMakeTransition(new Set(['township_leader']), 'escalate')).toBe(true);
    expect(mayMakeTransition(new Set(['school_staff']), 'log_visit')).toBe(true);
    expect(mayMakeTransition(new Set(['school_staff']), 'close')).toBe(false);
    expect(mayMakeTransition(new Set(['assignee']), 'confirm')).toBe(true);
    expect(mayMakeTransition(new Set(), 'accept')).toBe(false);
    for (const transition of TRANSITIONS) expect(TRANSITION_ACTORS[transition]).toContain('county_admin');
  });

  it('takes the escalation ladder in order', () => {
    expect(nextEscalationStep([])).toBe('written_notice');
    expect(nextEscalationStep(['written_notice'])).toBe('order_to_correct');
    expect(nextEscalationStep(['written_notice', 'order_to_correct'])).toBe('judicial_referral');
    expect(nextEscalationStep(['written_notice', 'order_to_correct', 'judicial_referral'])).toBeNull();
  });

  it('suggests a grade by time out of school', () => {
    expect(suggestedGrade(5, 2, 11)).toBe(5);
    expect(suggestedGrade(5, 3, 11)).toBe(4);
    expect(suggestedGrade(5, 12, 11)).toBe(4);
    expect(suggestedGrade(5, 18, 13)).toBe(7);
    expect(suggestedGrade(1, 6, 7)).toBe(1);
  });
});
