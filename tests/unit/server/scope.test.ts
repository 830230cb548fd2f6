import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ReadAction } from '@baoxue/shared';
import type { Caller, CallerUnit } from '../../../server/src/common/auth/caller';
import {
  applyScope,
  divisionInReadScope,
  inReadScope,
  readsBoundChildren,
  readScope,
  type ScopeColumns,
} from '../../../server/src/common/auth/scope';
import { CASE_SCOPE } from '../../../server/src/modules/cases/case-access';
import { CHILD_SCOPE } from '../../../server/src/modules/children/child-access';

const COUNTY = '411522000000';
const TOWNSHIP = '411522101000';
const VILLAGE = '411522101201';

function caller(role: Caller['role'], unit: CallerUnit | null, position: Caller['position'] = null): Caller {
  return { userId: 'u-1', sessionId: 's', role, position, displayName: '测试', unit, countyCode: role === 'parent' ? null : COUNTY };
}
const division = (code: string): CallerUnit => ({ kind: 'division', code });
const school = (schoolId: string): CallerUnit => ({ kind: 'school', schoolId, townshipCode: TOWNSHIP, countyCode: COUNTY });

const CALLERS = {
  countyAdmin: caller('county_admin', division(COUNTY)),
  countyLeader: caller('official', division(COUNTY), 'leader'),
  townshipLeader: caller('official', division(TOWNSHIP), 'leader'),
  townshipCadre: caller('official', division(TOWNSHIP), 'cadre'),
  villageCadre: caller('official', division(VILLAGE), 'cadre'),
  staff: caller('official', school('school-1'), 'school_staff'),
  supervisor: caller('supervisor', division(VILLAGE)),
  parent: caller('parent', null),
  // an account without a county acts for no unit, whatever its unit says
  countylessAdmin: { ...caller('county_admin', division(COUNTY)), countyCode: null },
  countylessStaff: { ...caller('official', school('school-1'), 'school_staff'), countyCode: null },
};
type Who = keyof typeof CALLERS;

/** The WHERE `applyScope` adds, its parameters written in. */
function where(who: Who, action: ReadAction, columns: ScopeColumns): string {
  const clauses: string[] = [];
  const qb = {
    andWhere(sql: string, params: Record<string, string> = {}) {
      clauses.push(sql.replace(/:(\w+)/g, (_, name: string) => `'${params[name]}'`));
      return qb;
    },
  };
  applyScope(qb as unknown as SelectQueryBuilder<ObjectLiteral>, CALLERS[who], action, columns);
  return clauses.join(' AND ');
}

const whereFor = (action: ReadAction, columns: ScopeColumns) =>
  Object.fromEntries((Object.keys(CALLERS) as Who[]).map((who) => [who, where(who, action, columns)]));

const NOTHING = '1 = 0';

describe('applyScope: the WHERE of each read row, per caller', () => {
  it('cases: the county, a division by its prefix at any level, a school; no one else', () => {
    expect(whereFor('read_case', CASE_SCOPE)).toEqual({
      countyAdmin: "c.routing_code LIKE '411522%'",
      countyLeader: "c.routing_code LIKE '411522%'",
      townshipLeader: "c.routing_code LIKE '411522101%'",
      townshipCadre: "c.routing_code LIKE '411522101%'",
      villageCadre: "c.routing_code LIKE '411522101201%'",
      staff: "c.school_id = 'school-1'",
      supervisor: NOTHING,
      parent: NOTHING,
      countylessAdmin: NOTHING,
      countylessStaff: NOTHING,
    });
  });

  it('school notices: the county and its county-level units by county code, a school its own', () => {
    expect(whereFor('read_school_notice', { division: 'sn.county_code', school: 'sn.school_id' })).toEqual({
      countyAdmin: "sn.county_code LIKE '411522%'",
      countyLeader: "sn.county_code LIKE '411522%'",
      townshipLeader: NOTHING,
      townshipCadre: NOTHING,
      villageCadre: NOTHING,
      staff: "sn.school_id = 'school-1'",
      supervisor: NOTHING,
      parent: NOTHING,
      countylessAdmin: NOTHING,
      countylessStaff: NOTHING,
    });
  });

  it('deferrals: by the child’s village (or county), never by school', () => {
    const place = 'COALESCE(d.village_code, d.county_code)';
    expect(whereFor('read_deferral', { division: place })).toEqual({
      countyAdmin: `${place} LIKE '411522%'`,
      countyLeader: `${place} LIKE '411522%'`,
      townshipLeader: `${place} LIKE '411522101%'`,
      townshipCadre: `${place} LIKE '411522101%'`,
      villageCadre: `${place} LIKE '411522101201%'`,
      staff: NOTHING,
      supervisor: NOTHING,
      parent: NOTHING,
      countylessAdmin: NOTHING,
      countylessStaff: NOTHING,
    });
  });

  it('enrolment notices and children: divisions by place, a school by school; a guardian’s lists are not scoped queries', () => {
    for (const [action, columns] of [
      ['read_enrolment_notice', { division: 'COALESCE(n.village_code, n.county_code)', school: 'n.school_id' }],
      ['read_child', CHILD_SCOPE],
    ] as const) {
      const result = whereFor(action, columns);
      expect(result.townshipCadre).toBe(`${columns.division} LIKE '411522101%'`);
      expect(result.staff).toBe(`${columns.school} = 'school-1'`);
      expect([result.parent, result.supervisor]).toEqual([NOTHING, NOTHING]);
    }
  });

  it('accounts and invitations: the county admin’s county only', () => {
    for (const action of ['read_account', 'read_invitation'] as const) {
      const result = whereFor(action, { division: 'u.county_code' });
      expect(result.countyAdmin).toBe("u.county_code LIKE '411522%'");
      const others = (Object.keys(CALLERS) as Who[]).filter((who) => who !== 'countyAdmin').map((who) => result[who]);
      expect(new Set(others)).toEqual(new Set([NOTHING]));
    }
  });

  it('student aid: the county admin’s county only; a guardian’s complaints are read through their bindings', () => {
    for (const action of ['read_eligibility', 'read_payment', 'read_complaint'] as const) {
      const result = whereFor(action, { county: 'x.county_code' });
      expect(result.countyAdmin).toBe("x.county_code = '411522000000'");
      const others = (Object.keys(CALLERS) as Who[]).filter((who) => who !== 'countyAdmin').map((who) => result[who]);
      expect(new Set(others)).toEqual(new Set([NOTHING]));
    }
  });

  it('tips: a supervisor’s own', () => {
    const result = whereFor('read_tip', { owner: 't.supervisor_id' });
    expect(result.supervisor).toBe("t.supervisor_id = 'u-1'");
    expect(Object.values(result).filter((w) => w !== NOTHING)).toHaveLength(1);
  });

  it('fails closed when the query cannot express the caller’s relation', () => {
    expect(where('staff', 'read_case', { division: 'c.routing_code' })).toBe(NOTHING);
    expect(where('townshipCadre', 'read_case', { school: 'c.school_id' })).toBe(NOTHING);
    expect(where('supervisor', 'read_tip', { division: 't.village_code' })).toBe(NOTHING);
    // a county column, when given, is what a county admin is matched on
    expect(where('countyAdmin', 'read_case', { county: 'c.county_code', division: 'c.routing_code' })).toBe(
      "c.county_code = '411522000000'",
    );
  });
});

describe('readScope', () => {
  it('names the relation each caller reads by', () => {
    expect(readScope(CALLERS.countyAdmin, 'read_case')).toEqual({ relation: 'county', countyCode: COUNTY });
    expect(readScope(CALLERS.townshipLeader, 'read_case')).toEqual({ relation: 'division', code: TOWNSHIP });
    expect(readScope(CALLERS.villageCadre, 'read_deferral')).toEqual({ relation: 'division', code: VILLAGE });
    expect(readScope(CALLERS.staff, 'read_case')).toEqual({ relation: 'school', schoolId: 'school-1' });
    expect(readScope(CALLERS.supervisor, 'read_tip')).toEqual({ relation: 'own', userId: 'u-1' });
    expect(readScope(CALLERS.parent, 'read_child')).toEqual({ relation: 'bound_child', userId: 'u-1' });
    expect(readScope(CALLERS.townshipLeader, 'read_school_notice')).toBeNull();
    expect(readScope(CALLERS.parent, 'read_case')).toBeNull();
    expect(readScope(CALLERS.countylessAdmin, 'read_case')).toBeNull();
  });

  it('reaches statistics by the county, the division at any level, or the school', () => {
    expect(readScope(CALLERS.countyAdmin, 'read_stats')).toEqual({ relation: 'county', countyCode: COUNTY });
    expect(readScope(CALLERS.countyLeader, 'read_stats')).toEqual({ relation: 'division', code: COUNTY });
    expect(readScope(CALLERS.villageCadre, 'read_stats')).toEqual({ relation: 'division', code: VILLAGE });
    expect(readScope(CALLERS.staff, 'read_stats')).toEqual({ relation: 'school', schoolId: 'school-1' });
    for (const who of ['supervisor', 'parent', 'countylessAdmin'] as const) expect(readScope(CALLERS[who], 'read_stats')).toBeNull();
  });

  it('gives the transfers waiting for a township to its leaders and cadres, those for a school to its staff', () => {
    expect(readScope(CALLERS.townshipLeader, 'read_transfer')).toEqual({ relation: 'division', code: TOWNSHIP });
    expect(readScope(CALLERS.townshipCadre, 'read_transfer')).toEqual({ relation: 'division', code: TOWNSHIP });
    expect(readScope(CALLERS.staff, 'read_transfer')).toEqual({ relation: 'school', schoolId: 'school-1' });
    for (const who of ['countyAdmin', 'countyLeader', 'villageCadre', 'supervisor', 'parent', 'countylessStaff'] as const)
      expect([who, readScope(CALLERS[who], 'read_transfer')]).toEqual([who, null]);
  });

  it('reaches across an area for an action that is not a read: a county admin their county, a township leader their township', () => {
    expect(readScope(CALLERS.countyAdmin, 'review_children')).toEqual({ relation: 'county', countyCode: COUNTY });
    expect(readScope(CALLERS.townshipLeader, 'review_children')).toEqual({ relation: 'division', code: TOWNSHIP });
    expect(readScope(CALLERS.townshipCadre, 'review_children')).toBeNull();
  });

  it('gives a division official without a position (no leader or cadre) nothing', () => {
    expect(readScope(caller('official', division(TOWNSHIP)), 'read_case')).toBeNull();
  });
});

describe('inReadScope: one record, by the same rule', () => {
  const child = (division: string | null, schoolId: string | null = null) => ({ division, school: schoolId });

  it('holds a record under the caller’s prefix or of their school, nothing beside it', () => {
    expect(inReadScope(CALLERS.townshipCadre, 'read_child', child(VILLAGE))).toBe(true);
    expect(inReadScope(CALLERS.townshipCadre, 'read_child', child('411522102201'))).toBe(false);
    expect(inReadScope(CALLERS.villageCadre, 'read_child', child(COUNTY))).toBe(false);
    expect(inReadScope(CALLERS.countyAdmin, 'read_child', child(COUNTY))).toBe(true);
    expect(inReadScope(CALLERS.countyAdmin, 'read_child', child('411523101201'))).toBe(false);
    expect(inReadScope(CALLERS.staff, 'read_child', child(VILLAGE, 'school-1'))).toBe(true);
    expect(inReadScope(CALLERS.staff, 'read_child', child(VILLAGE, 'school-2'))).toBe(false);
    expect(inReadScope(CALLERS.staff, 'read_child', child(VILLAGE, null))).toBe(false);
    expect(inReadScope(CALLERS.townshipCadre, 'read_child', child(null))).toBe(false);
  });

  it('matches the county admin on the record’s county when it is given', () => {
    expect(inReadScope(CALLERS.countyAdmin, 'read_case', { county: COUNTY, division: '411523000000' })).toBe(true);
    expect(inReadScope(CALLERS.countyAdmin, 'read_case', { county: '411523000000', division: VILLAGE })).toBe(false);
  });

  it('lets a parent read a child only where the service found them bound, and a supervisor only their own', () => {
    expect(inReadScope(CALLERS.parent, 'read_child', { ...child(VILLAGE), guardian: true })).toBe(true);
    expect(inReadScope(CALLERS.parent, 'read_child', child(VILLAGE))).toBe(false);
    expect(inReadScope(CALLERS.townshipCadre, 'read_child', { ...child('411522102201'), guardian: true })).toBe(false);
    expect(inReadScope(CALLERS.supervisor, 'read_tip', { owner: 'u-1' })).toBe(true);
    expect(inReadScope(CALLERS.supervisor, 'read_tip', { owner: 'u-2' })).toBe(false);
    expect(inReadScope(CALLERS.supervisor, 'read_case', { division: VILLAGE })).toBe(false);
  });
});

describe('readsBoundChildren', () => {
  it('holds for a caller the row reaches through bound children (a guardian) only', () => {
    expect(readsBoundChildren(CALLERS.parent, 'read_complaint')).toBe(true);
    expect(readsBoundChildren(CALLERS.parent, 'read_child')).toBe(true);
    expect(readsBoundChildren(CALLERS.parent, 'read_payment')).toBe(false);
    expect(readsBoundChildren(CALLERS.countyAdmin, 'read_complaint')).toBe(false);
    expect(readsBoundChildren(CALLERS.townshipCadre, 'read_child')).toBe(false);
  });

  it('lets a guardian read a complaint where the service found them bound, the county admin one of their county', () => {
    expect(inReadScope(CALLERS.parent, 'read_complaint', { county: COUNTY, guardian: true })).toBe(true);
    expect(inReadScope(CALLERS.parent, 'read_complaint', { county: COUNTY, guardian: false })).toBe(false);
    expect(inReadScope(CALLERS.countyAdmin, 'read_complaint', { county: COUNTY, guardian: false })).toBe(true);
    expect(inReadScope(CALLERS.countyAdmin, 'read_complaint', { county: '411523000000', guardian: false })).toBe(false);
    expect(inReadScope(CALLERS.countylessAdmin, 'read_complaint', { county: COUNTY, guardian: false })).toBe(false);
    expect(inReadScope(CALLERS.townshipLeader, 'read_complaint', { county: COUNTY, guardian: false })).toBe(false);
  });
});

describe('divisionInReadScope', () => {
  it('holds a division code under the county admin’s county or the division official’s unit, nothing for others', () => {
    const inArea = (who: Who, code: string) => divisionInReadScope(CALLERS[who], 'read_enrolment_notice', code);
    expect(inArea('countyAdmin', VILLAGE)).toBe(true);
    expect(inArea('countyAdmin', '411523101201')).toBe(false);
    expect(inArea('townshipCadre', VILLAGE)).toBe(true);
    expect(inArea('townshipCadre', '411522102000')).toBe(false);
    expect(inArea('villageCadre', TOWNSHIP)).toBe(false);
    // a school, a guardian and a supervisor read by something other than a place
    for (const who of ['staff', 'parent', 'supervisor', 'countylessAdmin'] as const) expect(inArea(who, VILLAGE)).toBe(false);
  });

  it('counts a division unit only at the levels the row names', () => {
    expect(divisionInReadScope(CALLERS.countyLeader, 'read_school_notice', VILLAGE)).toBe(true);
    expect(divisionInReadScope(CALLERS.townshipLeader, 'read_school_notice', VILLAGE)).toBe(false);
  });
});

describe('the class relation: a school head reads every class of the school, a 班主任 their own', () => {
  const head = caller('official', school('school-1'), 'leader');
  const teacher = CALLERS.staff;
  const CLASS = { schoolClass: ['rc.school_id', 'rc.grade', 'rc.class_name'] } as const satisfies ScopeColumns;
  const whereOf = (who: Caller) => {
    const clauses: string[] = [];
    const qb = {
      andWhere(sql: string, params: Record<string, string> = {}) {
        clauses.push(sql.replace(/:(\w+)/g, (_, name: string) => `'${params[name]}'`));
        return qb;
      },
    };
    applyScope(qb as unknown as SelectQueryBuilder<ObjectLiteral>, who, 'read_roll_call', { ...CLASS, school: 'rc.school_id' });
    return clauses.join(' AND ');
  };

  it('narrows a list: the head by the school, a teacher through class_teachers, everyone else to nothing', () => {
    expect(whereOf(head)).toBe("rc.school_id = 'school-1'");
    expect(whereOf(teacher)).toBe(
      "rc.school_id = 'school-1' AND EXISTS (SELECT 1 FROM class_teachers ct WHERE ct.user_id = 'u-1'" +
        ' AND ct.school_id = rc.school_id AND ct.grade = rc.grade AND ct.class_name = rc.class_name)',
    );
    for (const who of ['countyAdmin', 'townshipLeader', 'parent', 'supervisor', 'countylessStaff'] as const)
      expect([who, whereOf(CALLERS[who])]).toEqual([who, NOTHING]);
  });

  it('checks one record by what the service found: the teacher of its class, in the caller’s school', () => {
    expect(readScope(head, 'read_roll_call')).toEqual({ relation: 'school', schoolId: 'school-1' });
    expect(readScope(teacher, 'read_roll_call')).toEqual({ relation: 'class', schoolId: 'school-1', userId: 'u-1' });
    expect(inReadScope(teacher, 'read_roll_call', { school: 'school-1', classTeacher: true })).toBe(true);
    expect(inReadScope(teacher, 'read_roll_call', { school: 'school-1', classTeacher: false })).toBe(false);
    expect(inReadScope(teacher, 'read_roll_call', { school: 'school-2', classTeacher: true })).toBe(false);
    expect(inReadScope(head, 'read_roll_call', { school: 'school-1', classTeacher: false })).toBe(true);
    expect(inReadScope(head, 'read_roll_call', { school: 'school-2', classTeacher: false })).toBe(false);
  });
});
