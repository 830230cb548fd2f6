import { AUDIT_ACTIONS, AUDIT_CATEGORIES, auditActionsOf, GUARDIAN_VISIBLE_CATEGORIES, type AuditAction } from '@baoxue/shared';
import type { AuditEntryRow } from '../../../server/src/modules/audit/audit-records';
import {
  actorUnitLabel,
  auditDetails,
  auditSheetRow,
  mapAccessHistoryEntry,
  mapAuditEntry,
  type AuditNames,
} from '../../../server/src/modules/audit-log/audit-log.mappers';

const SCHOOL = '0190a0b0-0000-7000-8000-000000000001';
const NAMES: AuditNames = {
  users: new Map([
    ['u-cadre', '陈丽'],
    ['u-admin', '周国华'],
  ]),
  children: new Map([['c-1', '王梓轩']]),
  divisions: new Map([
    ['411522000000', '光山县'],
    ['411522101000', '十里镇'],
    ['411522101203', '吴明村民委员会'],
    ['411522101001', '十里街道社区居民委员会'],
  ]),
  schools: new Map([[SCHOOL, '光山县十里镇中心小学']]),
};

function entry(overrides: Partial<AuditEntryRow>): AuditEntryRow {
  return {
    id: '0190a0b0-0000-7000-8000-0000000000aa',
    at: new Date('2026-11-23T12:15:07Z'),
    actorId: 'u-cadre',
    actorRole: 'official',
    actorPosition: 'cadre',
    actorDivisionCode: '411522101000',
    actorSchoolId: null,
    action: 'case.read',
    targetType: 'case',
    targetId: 'case-1',
    childId: 'c-1',
    countyCode: '411522000000',
    divisionCode: '411522101203',
    reason: null,
    details: null,
    ...overrides,
  };
}

describe('the audit viewer’s mappers', () => {
  it('names the unit and role an official acted as, never more', () => {
    expect(actorUnitLabel(entry({}), NAMES)).toBe('十里镇 包抓干部');
    expect(actorUnitLabel(entry({ actorPosition: 'leader' }), NAMES)).toBe('十里镇 负责人');
    expect(actorUnitLabel(entry({ actorDivisionCode: '411522101203' }), NAMES)).toBe('吴明村 村干部');
    expect(actorUnitLabel(entry({ actorDivisionCode: '411522101001' }), NAMES)).toBe('十里街道社区 村干部');
    expect(actorUnitLabel(entry({ actorPosition: 'school_staff', actorDivisionCode: null, actorSchoolId: SCHOOL }), NAMES)).toBe(
      '光山县十里镇中心小学 教职工',
    );
    expect(actorUnitLabel(entry({ actorRole: 'county_admin', actorPosition: null, actorDivisionCode: '411522000000' }), NAMES)).toBe(
      '光山县教育局',
    );
    // an old entry without the admin's unit: its county
    expect(actorUnitLabel(entry({ actorRole: 'county_admin', actorPosition: null, actorDivisionCode: null }), NAMES)).toBe('光山县教育局');
    expect(actorUnitLabel(entry({ actorRole: 'parent', actorPosition: null, actorDivisionCode: null }), NAMES)).toBe('家长');
    expect(actorUnitLabel(entry({ actorRole: null, actorId: null }), NAMES)).toBeNull();
  });

  it('shows the county who, when, what, about whom and why', () => {
    const view = mapAuditEntry(entry({ action: 'tip.reveal_tipster', targetType: 'tip', reason: '需要核实住址' }), NAMES);
    expect(view).toEqual({
      id: '0190a0b0-0000-7000-8000-0000000000aa',
      at: '2026-11-23T12:15:07.000Z',
      action: 'tip.reveal_tipster',
      actionLabel: '查看线索提供人',
      category: 'reveal',
      actor: { id: 'u-cadre', name: '陈丽', role: 'official', unit: '十里镇 包抓干部' },
      child: { id: 'c-1', name: '王梓轩' },
      target: '线索',
      reason: '需要核实住址',
      details: '',
    });
    expect(mapAuditEntry(entry({ actorId: null, actorRole: null, action: 'retention.pseudonymise', childId: null }), NAMES)).toMatchObject({
      actor: null,
      child: null,
      category: 'system',
    });
    // a row whose action was renamed since still reads as itself
    expect(mapAuditEntry(entry({ action: 'old.action' }), NAMES)).toMatchObject({ actionLabel: 'old.action', category: 'work' });
  });

  it('names the record acted on where it has a name', () => {
    expect(mapAuditEntry(entry({ targetType: 'ledger', targetId: '411522101000' }), NAMES).target).toBe('台账（十里镇）');
    expect(mapAuditEntry(entry({ targetType: 'county', targetId: '411522000000' }), NAMES).target).toBe('本县（光山县）');
    expect(mapAuditEntry(entry({ targetType: 'user', targetId: 'u-admin' }), NAMES).target).toBe('账号（周国华）');
    expect(mapAuditEntry(entry({ targetType: 'school', targetId: SCHOOL }), NAMES).target).toBe('学校（光山县十里镇中心小学）');
  });

  it('words the details', () => {
    expect(auditDetails({ cases: 12, revealIds: true, from: null })).toBe('案件数：12；完整身份证号：是；起始日期：无');
    expect(auditDetails({ role: 'official', fromRole: 'parent', position: 'cadre' })).toBe('身份：工作人员；原身份：家长；职务：包抓干部');
    expect(auditDetails({ method: 'desktop', category: 'read' })).toBe('登录方式：电脑端登录码；操作类别：查阅儿童信息');
    expect(auditDetails(null)).toBe('');
  });

  it('tells a parent the unit, the act and its purpose, not the official nor the reason they typed', () => {
    const seen = mapAccessHistoryEntry(entry({ reason: '张三说的' }), NAMES);
    expect(seen).toEqual({
      id: '0190a0b0-0000-7000-8000-0000000000aa',
      at: '2026-11-23T12:15:07.000Z',
      unit: '十里镇 包抓干部',
      action: '查看案件',
      purpose: '办理控辍保学案件',
    });
    expect(JSON.stringify(seen)).not.toMatch(/陈丽|张三/);
  });

  it('writes a sheet row in China time, to the second', () => {
    const row = auditSheetRow(mapAuditEntry(entry({ reason: '核实' }), NAMES), 'case-1');
    expect(row).toEqual({
      at: '2026-11-23 20:15:07',
      actor: '陈丽',
      unit: '十里镇 包抓干部',
      action: '查看案件',
      category: '查阅儿童信息',
      child: '王梓轩',
      target: '案件',
      targetId: 'case-1',
      reason: '核实',
      details: '',
    });
  });

  it('names the county settings a change touched as the county admin sets them', () => {
    const changed = mapAuditEntry(
      entry({ action: 'county.settings', details: { changed: 'acknowledgeHours,complaintAnswerDays' } }),
      NAMES,
    );
    expect(changed.details).toBe('修改项：受理新线索、答复家长的资助投诉');
  });

  it('tells the operator’s acts at the command line from the server’s own work', () => {
    const operator = auditSheetRow(mapAuditEntry(entry({ actorId: null, action: 'account.revoke_county_admin' }), NAMES), null);
    expect(operator.actor).toBe('系统运维人员（命令行）');
    const retention = mapAuditEntry(entry({ actorId: null, action: 'retention.pseudonymise' }), NAMES);
    expect(retention.category).toBe('system');
    expect(auditSheetRow(retention, null).actor).toBe('系统自动处理');
  });
});

describe('the audit vocabulary', () => {
  it('puts every action in a category with a Chinese label', () => {
    for (const [action, rule] of Object.entries(AUDIT_ACTIONS)) {
      expect([action, rule.category in AUDIT_CATEGORIES]).toEqual([action, true]);
      expect([action, /[\u4e00-\u9fa5]/.test(rule.label)]).toEqual([action, true]);
    }
    const all = (Object.keys(AUDIT_CATEGORIES) as Array<keyof typeof AUDIT_CATEGORIES>).flatMap(auditActionsOf);
    expect(all.sort()).toEqual((Object.keys(AUDIT_ACTIONS) as AuditAction[]).sort());
  });

  it('shows parents what officials did with the record, never the tipster, families’ own acts or the log itself', () => {
    expect(GUARDIAN_VISIBLE_CATEGORIES).not.toContain('reveal');
    expect(GUARDIAN_VISIBLE_CATEGORIES).not.toContain('family');
    expect(GUARDIAN_VISIBLE_CATEGORIES).not.toContain('audit');
    const visible = GUARDIAN_VISIBLE_CATEGORIES.flatMap(auditActionsOf);
    expect(visible).toEqual(expect.arrayContaining(['case.read', 'child.guardians.read', 'child.merge']));
    expect(visible.some((action) => action.startsWith('tip.'))).toBe(false);
    // every read of one child's record tells a parent why
    const childReads: AuditAction[] = [
      'case.read',
      'child.guardians.read',
      'child.subsidies.read',
      'child.merges.read',
      'enrolment.notice.read',
      'enrolment.notice.pdf',
      'subsidy.complaint.read',
    ];
    for (const action of childReads) {
      const rule: { label: string; purpose?: string } = AUDIT_ACTIONS[action];
      expect([action, visible.includes(action), rule.purpose]).toEqual([action, true, expect.stringMatching(/[\u4e00-\u9fa5]/)]);
    }
  });
});
