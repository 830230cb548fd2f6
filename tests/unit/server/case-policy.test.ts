import type { Caller, CallerUnit } from '../../../server/src/common/auth/caller';
import { divisionInReadScope } from '../../../server/src/common/auth/scope';
import { AppError } from '../../../server/src/common/errors/app-error';
import { canHandleForTownship, canSeeCase } from '../../../server/src/modules/cases/case-access';
import { actorsFor } from '../../../server/src/modules/cases/case-actors';
import { caseActionsFor, requireAccess } from '../../../server/src/modules/cases/case-policy';
import type { DropoutCase } from '../../../server/src/modules/cases/case.entity';

const COUNTY = '411522000000';
const TOWNSHIP = '411522101000';
const VILLAGE = '411522101201';
const OTHER_TOWNSHIP = '411522102000';
const SCHOOL = 'school-1';

function caller(role: Caller['role'], unit: CallerUnit | null, position: Caller['position'] = null, userId = 'u-1'): Caller {
  return { userId, sessionId: 's', role, position, displayName: '测试', unit, countyCode: role === 'parent' ? null : COUNTY };
}
const division = (code: string): CallerUnit => ({ kind: 'division', code });
const school = (schoolId: string): CallerUnit => ({ kind: 'school', schoolId, townshipCode: TOWNSHIP, countyCode: COUNTY });

const countyAdmin = caller('county_admin', null);
const otherCountyAdmin = { ...countyAdmin, countyCode: '411523000000' };
const countyLeader = caller('official', division(COUNTY), 'leader');
const leader = caller('official', division(TOWNSHIP), 'leader');
const cadre = caller('official', division(TOWNSHIP), 'cadre');
const assignee = caller('official', division(TOWNSHIP), 'cadre', 'assignee-1');
const villageCadre = caller('official', division(VILLAGE), 'cadre');
const otherVillageCadre = caller('official', division('411522101202'), 'cadre');
const otherLeader = caller('official', division(OTHER_TOWNSHIP), 'leader');
const staff = caller('official', school(SCHOOL), 'school_staff');
const otherStaff = caller('official', school('school-2'), 'school_staff');
const supervisor = caller('supervisor', division(VILLAGE));
const parent = caller('parent', null);

type Record = Pick<
  DropoutCase,
  | 'countyCode'
  | 'townshipCode'
  | 'villageCode'
  | 'routingCode'
  | 'schoolId'
  | 'assigneeId'
  | 'confirmingSchoolId'
  | 'status'
  | 'returnedOn'
  | 'tipCount'
>;
function record(changes: Partial<Record> = {}): Record {
  return {
    countyCode: COUNTY,
    townshipCode: TOWNSHIP,
    villageCode: VILLAGE,
    routingCode: VILLAGE,
    schoolId: SCHOOL,
    assigneeId: 'assignee-1',
    confirmingSchoolId: null,
    status: 'persuading',
    returnedOn: null,
    tipCount: 1,
    ...changes,
  };
}
const inTriage = record({ townshipCode: null, villageCode: null, routingCode: COUNTY, assigneeId: null, status: 'reported' });

function refusal(work: () => void): { code: string; message: string } | null {
  try {
    work();
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe('scope by division prefix', () => {
  it('reaches cases in the caller’s county or division, nothing beside it', () => {
    expect(divisionInReadScope(countyAdmin, 'read_case', OTHER_TOWNSHIP)).toBe(true);
    expect(divisionInReadScope(countyAdmin, 'read_case', '411523000000')).toBe(false);
    expect(divisionInReadScope(countyLeader, 'read_case', OTHER_TOWNSHIP)).toBe(true);
    expect(divisionInReadScope(leader, 'read_case', VILLAGE)).toBe(true);
    expect(divisionInReadScope(leader, 'read_case', TOWNSHIP)).toBe(true);
    expect(divisionInReadScope(leader, 'read_case', OTHER_TOWNSHIP)).toBe(false);
    expect(divisionInReadScope(leader, 'read_case', COUNTY)).toBe(false);
    expect(divisionInReadScope(villageCadre, 'read_case', VILLAGE)).toBe(true);
    expect(divisionInReadScope(villageCadre, 'read_case', '411522101202')).toBe(false);
    // a school reads its own school's records and a parent their bound children: neither has an area
    expect(divisionInReadScope(staff, 'read_case', VILLAGE)).toBe(false);
    expect(divisionInReadScope(parent, 'read_case', VILLAGE)).toBe(false);
  });
});

describe('canSeeCase', () => {
  it('lets the county, the township, the village and the school see their case', () => {
    for (const who of [countyAdmin, countyLeader, leader, cadre, villageCadre, staff]) expect(canSeeCase(who, record())).toBe(true);
  });

  it('hides it from another county, township, village or school, and from supervisors and parents', () => {
    for (const who of [otherCountyAdmin, otherLeader, otherVillageCadre, otherStaff, supervisor, parent])
      expect(canSeeCase(who, record())).toBe(false);
  });

  it('shows a triage case to the county only', () => {
    expect(canSeeCase(countyAdmin, inTriage)).toBe(true);
    expect(canSeeCase(countyLeader, inTriage)).toBe(true);
    expect(canSeeCase(leader, inTriage)).toBe(false);
    expect(canSeeCase(staff, { ...inTriage, schoolId: null })).toBe(false);
  });

  it('lets the township (not its villages) do the township’s work', () => {
    expect(canHandleForTownship(leader, record())).toBe(true);
    expect(canHandleForTownship(cadre, record())).toBe(true);
    expect(canHandleForTownship(countyLeader, record())).toBe(true);
    expect(canHandleForTownship(villageCadre, record())).toBe(false);
    expect(canHandleForTownship(staff, record())).toBe(false);
    expect(canHandleForTownship(leader, inTriage)).toBe(false);
  });
});

describe('actorsFor', () => {
  it('names what each caller is to the case', () => {
    const of = (who: Caller, r: Record = record()) => [...actorsFor(who, r)].sort();
    expect(of(countyAdmin)).toEqual(['county_admin']);
    expect(of(otherCountyAdmin)).toEqual([]);
    expect(of(leader)).toEqual(['township_leader']);
    expect(of(countyLeader)).toEqual(['township_leader']);
    expect(of(cadre)).toEqual(['township_cadre']);
    expect(of(assignee)).toEqual(['assignee', 'township_cadre']);
    expect(of(villageCadre)).toEqual(['village_cadre']);
    expect(of(otherLeader)).toEqual([]);
    expect(of(staff)).toEqual(['school_staff']);
    expect(of(staff, record({ confirmingSchoolId: SCHOOL }))).toEqual(['receiving_school', 'school_staff']);
    expect(of(supervisor)).toEqual([]);
  });
});

describe('actionsFor', () => {
  it('offers the township leader the whole of a new case (naming its first cadre is the acceptance)', () => {
    expect(caseActionsFor(leader, record({ status: 'reported', assigneeId: null }), false)).toEqual([
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
  });

  it('offers the county the triage queue, the township nothing there', () => {
    expect(caseActionsFor(countyAdmin, inTriage, false)).toEqual([
      'accept',
      'close_not_dropout',
      'route',
      'set_causes',
      'transfer',
      'merge',
      'reveal_tipster',
      'deliver_notice',
      'complete_recheck',
    ]);
    expect(caseActionsFor(leader, inTriage, false)).toEqual([]);
  });

  it('offers a change of cadre (更换包抓干部) only once one is named', () => {
    expect(caseActionsFor(leader, record({ status: 'verifying', assigneeId: null }), false)).not.toContain('set_assignee');
    expect(caseActionsFor(leader, record({ status: 'verifying' }), false)).toContain('set_assignee');
  });

  it('offers a village cadre visits and notices, not the township’s decisions', () => {
    expect(caseActionsFor(villageCadre, record({ tipCount: 0 }), false)).toEqual(['log_visit', 'deliver_notice', 'complete_recheck']);
  });

  it('offers the school the return, attendance and a reopening', () => {
    const returned = record({ status: 'returned', returnedOn: '2025-03-01' });
    expect(caseActionsFor(staff, returned, false)).toEqual(['reopen', 'reveal_tipster', 'record_attendance', 'complete_recheck']);
    expect(caseActionsFor(staff, record({ status: 'closed', returnedOn: '2025-03-01', tipCount: 0 }), true)).toEqual([
      'reopen',
      'record_attendance',
      'complete_recheck',
    ]);
  });

  it('offers 销号 only once attendance proves the return', () => {
    const returned = record({ status: 'returned', returnedOn: '2025-03-01' });
    expect(caseActionsFor(leader, returned, false)).not.toContain('close');
    expect(caseActionsFor(leader, returned, true)).toContain('close');
  });

  it('offers confirming a transferred child to the receiving school only', () => {
    const awaiting = record({ status: 'verifying', confirmingSchoolId: SCHOOL });
    expect(caseActionsFor(staff, awaiting, false)).toContain('confirm_enrolment');
    expect(caseActionsFor(leader, awaiting, false)).not.toContain('confirm_enrolment');
    expect(caseActionsFor(staff, record({ status: 'verifying' }), false)).not.toContain('confirm_enrolment');
  });

  it('offers splitting only a case of several tips', () => {
    expect(caseActionsFor(assignee, record({ tipCount: 1 }), false)).not.toContain('split');
    expect(caseActionsFor(assignee, record({ tipCount: 2 }), false)).toContain('split');
  });

  it('offers nothing out of scope', () => {
    for (const who of [otherCountyAdmin, otherLeader, otherStaff, supervisor, parent])
      expect(caseActionsFor(who, record(), true)).toEqual([]);
  });
});

describe('requireAccess', () => {
  it('reads a case out of scope as not found', () => {
    expect(refusal(() => requireAccess(otherLeader, 'log_visit', record()))).toEqual({ code: 'NOT_FOUND', message: expect.any(String) });
  });

  it('refuses an action the caller may not take, in Chinese', () => {
    expect(refusal(() => requireAccess(villageCadre, 'escalate', record()))).toEqual({
      code: 'FORBIDDEN',
      message: '此操作只能由乡镇负责人、县教育局进行',
    });
    expect(refusal(() => requireAccess(cadre, 'set_assignee', record()))).toEqual({
      code: 'FORBIDDEN',
      message: '您不能更换包抓干部：只能由乡镇负责人、县教育局进行',
    });
    expect(refusal(() => requireAccess(cadre, 'confirm_enrolment', record({ confirmingSchoolId: SCHOOL })))).toEqual({
      code: 'FORBIDDEN',
      message: '只有接收学校可以确认',
    });
  });

  it('lets the caller take what the policy allows', () => {
    expect(refusal(() => requireAccess(villageCadre, 'log_visit', record()))).toBeNull();
    expect(refusal(() => requireAccess(staff, 'reveal_tipster', record()))).toBeNull();
    expect(refusal(() => requireAccess(countyAdmin, 'route', inTriage))).toBeNull();
  });
});
