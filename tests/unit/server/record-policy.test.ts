import type { RecordAction } from '@baoxue/shared';
import type { Caller, CallerUnit } from '../../../server/src/common/auth/caller';
import {
  recordActorsFor,
  requireCountyAccess,
  requireRecordAccess,
  type PolicyRecord,
} from '../../../server/src/common/auth/record-policy';
import { AppError } from '../../../server/src/common/errors/app-error';

const COUNTY = '411522000000';
const TOWNSHIP = '411522101000';
const VILLAGE = '411522101201';
const OTHER_TOWNSHIP = '411522102000';

function caller(role: Caller['role'], unit: CallerUnit | null, position: Caller['position'] = null): Caller {
  return { userId: 'u-1', sessionId: 's', role, position, displayName: '测试', unit, countyCode: role === 'parent' ? null : COUNTY };
}
const division = (code: string): CallerUnit => ({ kind: 'division', code });
const school = (schoolId: string): CallerUnit => ({ kind: 'school', schoolId, townshipCode: TOWNSHIP, countyCode: COUNTY });

const CALLERS = {
  countyAdmin: caller('county_admin', null),
  otherCountyAdmin: { ...caller('county_admin', null), countyCode: '411523000000' },
  countylessAdmin: { ...caller('county_admin', null), countyCode: null },
  countyLeader: caller('official', division(COUNTY), 'leader'),
  leader: caller('official', division(TOWNSHIP), 'leader'),
  cadre: caller('official', division(TOWNSHIP), 'cadre'),
  otherLeader: caller('official', division(OTHER_TOWNSHIP), 'leader'),
  villageLeader: caller('official', division(VILLAGE), 'leader'),
  villageCadre: caller('official', division(VILLAGE), 'cadre'),
  staff: caller('official', school('school-1'), 'school_staff'),
  supervisor: caller('supervisor', division(VILLAGE)),
  parent: caller('parent', null),
};
type Who = keyof typeof CALLERS;

function allowed(action: RecordAction, record?: PolicyRecord): Who[] {
  return (Object.keys(CALLERS) as Who[]).filter((who) => {
    try {
      requireRecordAccess(CALLERS[who], action, record);
      return true;
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('FORBIDDEN');
      return false;
    }
  });
}

describe('requireRecordAccess: the checks the services made inline, from the policy', () => {
  it('deferrals are decided by the county of the application or a leader or cadre of its township', () => {
    expect(allowed('decide_deferral', { countyCode: COUNTY, divisionCode: TOWNSHIP })).toEqual(['countyAdmin', 'leader', 'cadre']);
    // an application with no village is the county's alone
    expect(allowed('decide_deferral', { countyCode: COUNTY, divisionCode: null })).toEqual(['countyAdmin']);
    expect(allowed('decide_deferral', { countyCode: '411523000000', divisionCode: '411523101000' })).toEqual(['otherCountyAdmin']);
    expect(() => requireRecordAccess(CALLERS.villageCadre, 'decide_deferral', { countyCode: COUNTY, divisionCode: TOWNSHIP })).toThrow(
      '延缓入学由乡镇人民政府或县教育局审批',
    );
  });

  it('complaints: the office accepts and answers, the guardian asks again, either closes', () => {
    const complaint = (guardian: boolean): PolicyRecord => ({ countyCode: COUNTY, guardian });
    expect(allowed('accept_complaint', complaint(true))).toEqual(['countyAdmin']);
    expect(allowed('reopen_complaint', complaint(true))).toEqual(['parent']);
    expect(allowed('reopen_complaint', complaint(false))).toEqual([]);
    expect(allowed('close_complaint', complaint(true))).toEqual(['countyAdmin', 'parent']);
    expect(() => requireRecordAccess(CALLERS.parent, 'answer_complaint', complaint(true))).toThrow('答复由县学生资助管理中心进行');
    expect(() => requireRecordAccess(CALLERS.countyAdmin, 'reopen_complaint', complaint(false))).toThrow('继续反映由家长进行');
  });

  it('full ID numbers in the ledger are the county admins’, refused with the field named', () => {
    expect(allowed('export_ledger_ids')).toEqual(['countyAdmin', 'otherCountyAdmin']);
    try {
      requireRecordAccess(CALLERS.leader, 'export_ledger_ids');
      throw new Error('not refused');
    } catch (error) {
      expect((error as AppError).fields).toEqual({ revealIds: '无权导出完整身份证号' });
    }
  });

  it('the dispatch list is for county admins and the leaders and cadres of a division', () => {
    expect(allowed('read_dispatch')).toEqual([
      'countyAdmin',
      'otherCountyAdmin',
      'countyLeader',
      'leader',
      'cadre',
      'otherLeader',
      'villageLeader',
      'villageCadre',
    ]);
  });

  it('child records are reviewed, merged and split by county admins and township leaders', () => {
    expect(allowed('review_children')).toEqual(['countyAdmin', 'otherCountyAdmin', 'leader', 'otherLeader']);
  });

  it('enrolment notices come from county admins or school staff, school notices from school staff', () => {
    expect(allowed('issue_enrolment_notices')).toEqual(['countyAdmin', 'otherCountyAdmin', 'staff']);
    expect(allowed('send_school_notice')).toEqual(['staff']);
    expect(recordActorsFor(CALLERS.staff, 'send_school_notice', { schoolId: 'school-2' }).size).toBe(0);
  });

  it('supervisors upload evidence, parents the documents of their applications', () => {
    expect(allowed('upload_tip_evidence')).toEqual(['supervisor']);
    expect(allowed('upload_deferral_document')).toEqual(['parent']);
    expect(() => requireRecordAccess(CALLERS.parent, 'upload_tip_evidence')).toThrow('您不能上传此类照片');
  });

  it('the county’s own records (invitations, schools, divisions, registries, cross-checks) are its county admin’s, in their county', () => {
    for (const action of ['issue_invitations', 'manage_schools', 'import_divisions', 'import_registry', 'run_crosscheck'] as const) {
      expect([action, allowed(action)]).toEqual([action, ['countyAdmin', 'otherCountyAdmin']]);
      expect(requireCountyAccess(CALLERS.countyAdmin, action)).toBe(COUNTY);
      expect(requireCountyAccess(CALLERS.otherCountyAdmin, action)).toBe('411523000000');
    }
    expect(() => requireCountyAccess(CALLERS.countylessAdmin, 'import_registry')).toThrow('只有县教育局可以导入名册');
    expect(() => requireCountyAccess(CALLERS.leader, 'manage_schools')).toThrow('只有县教育局可以新增和修改学校');
    expect(allowed('run_crosscheck', { countyCode: '411523000000' })).toEqual(['otherCountyAdmin']);
  });

  it('statistics are read by the county, every division’s leaders and cadres, and schools', () => {
    expect(allowed('read_stats')).toEqual([
      'countyAdmin',
      'otherCountyAdmin',
      'countyLeader',
      'leader',
      'cadre',
      'otherLeader',
      'villageLeader',
      'villageCadre',
      'staff',
    ]);
  });
});
