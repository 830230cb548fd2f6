import {
  actorlessLabel,
  AUDIT_CATEGORIES,
  auditActionRule,
  COUNTY_SETTING_LABELS,
  divisionLevelOf,
  POSITION_LABELS,
  ROLE_LABELS,
  ROLES,
  type AccessHistoryEntry,
  type AuditCategory,
  type AuditEntryView,
  type Position,
  type Role,
} from '@baoxue/shared';
import type { AuditEntryRow } from '../audit/audit-records';

/** The names a page of entries needs, looked up by the service in one batch per kind. */
export interface AuditNames {
  users: ReadonlyMap<string, string>;
  children: ReadonlyMap<string, string>;
  divisions: ReadonlyMap<string, string>;
  schools: ReadonlyMap<string, string>;
}

/** `吴明村民委员会` → `吴明村`, `十里街道社区居民委员会` → `十里街道社区`: a village as people say it. */
function spokenVillage(name: string): string {
  return name.replace(/村民委员会$/, '村').replace(/居民委员会$/, '');
}

const isRole = (value: string | null): value is Role => value !== null && (ROLES as readonly string[]).includes(value);
const isPosition = (value: string | null): value is Position => value !== null && value in POSITION_LABELS;

/**
 * The unit and role an actor acted as, at the time: 光山县教育局, 十里镇 包抓干部, 吴明村 村干部,
 * 光山县十里镇中心小学 教职工. This is all a parent learns of an official (never a name).
 */
export function actorUnitLabel(
  entry: Pick<AuditEntryRow, 'actorRole' | 'actorPosition' | 'actorDivisionCode' | 'actorSchoolId' | 'countyCode'>,
  names: Pick<AuditNames, 'divisions' | 'schools'>,
): string | null {
  const role = entry.actorRole;
  if (role === 'county_admin') {
    const county = entry.actorDivisionCode ?? entry.countyCode;
    return `${(county && names.divisions.get(county)) || '县'}教育局`;
  }
  if (role === 'official') {
    if (entry.actorSchoolId) return `${names.schools.get(entry.actorSchoolId) ?? '学校'} 教职工`;
    const code = entry.actorDivisionCode;
    if (!code) return '工作人员';
    const name = names.divisions.get(code) ?? '';
    if (divisionLevelOf(code) === 'village') return `${spokenVillage(name) || '村'} 村干部`;
    const position = isPosition(entry.actorPosition) ? POSITION_LABELS[entry.actorPosition] : '工作人员';
    return `${name || '乡镇'} ${position}`;
  }
  return isRole(role) ? ROLE_LABELS[role] : null;
}

const TARGET_LABELS: Record<string, string> = {
  case: '案件',
  child: '儿童记录',
  tip: '线索',
  ledger: '台账',
  county: '本县',
  user: '账号',
  invitation: '邀请码',
  school: '学校',
  subsidy_policy: '资助标准',
  subsidy_complaint: '资助投诉',
  enrolment_notice: '入学通知书',
  enrolment_batch: '入学通知书批次',
  deferral: '延缓入学申请',
  registry_import: '名册导入',
  crosscheck_run: '四查三比对',
  crosscheck_review: '比对待核对项',
  school_notice: '学校通知',
  case_notice: '限期返校通知书',
  child_match_review: '疑似同一儿童',
  audit: '审计日志',
};

/** What the act was on, in words: 台账（十里镇）, 账号（陈丽）, 学校（光山县十里镇中心小学）, 案件. */
export function auditTarget(entry: Pick<AuditEntryRow, 'targetType' | 'targetId'>, names: AuditNames): string {
  const label = TARGET_LABELS[entry.targetType] ?? entry.targetType;
  const id = entry.targetId;
  const name = !id
    ? undefined
    : entry.targetType === 'user'
      ? names.users.get(id)
      : entry.targetType === 'school'
        ? names.schools.get(id)
        : entry.targetType === 'ledger' || entry.targetType === 'county'
          ? names.divisions.get(id)
          : undefined;
  return name ? `${label}（${name}）` : label;
}

const DETAIL_LABELS: Record<string, string> = {
  cases: '案件数',
  revealIds: '完整身份证号',
  from: '起始日期',
  to: '截止日期',
  under: '范围',
  rows: '条数',
  kind: '类别',
  schoolYear: '学年',
  role: '身份',
  fromRole: '原身份',
  toRole: '新身份',
  changed: '修改项',
  notices: '通知书份数',
  pending: '未回执',
  recipients: '接收人数',
  reminded: '提醒份数',
  guardians: '提醒家长数',
  decision: '决定',
  relation: '关系',
  again: '重新绑定',
  mergeId: '合并编号',
  mergedId: '被合并的记录',
  childId: '儿童记录',
  candidateId: '候选记录',
  casesMerged: '合并的案件数',
  photos: '照片数',
  retentionYears: '保存年限',
  format: '文件格式',
  created: '新增',
  updated: '更新',
  skipped: '跳过',
  unchanged: '未变',
  version: '版本',
  amountFen: '金额（分）',
  effectiveTo: '停止执行日期',
  method: '登录方式',
  category: '操作类别',
  actorId: '操作人',
  change: '变更',
  position: '职务',
  fromPosition: '原职务',
  county: '县',
  issuedBy: '发放方',
  replaced: '作废的旧邀请码',
  confirmedChange: '本人已确认身份变更',
  day: '日期',
  note: '说明',
  terms: '学期',
};

const SIGN_IN_METHODS: Record<string, string> = { wechat: '微信', demo: '演示账号', desktop: '电脑端登录码' };

function detailValue(key: string, value: string | number | boolean | null): string {
  if (value === null) return '无';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'string') {
    if ((key === 'role' || key === 'fromRole' || key === 'toRole') && isRole(value)) return ROLE_LABELS[value];
    if (key === 'category' && value in AUDIT_CATEGORIES) return AUDIT_CATEGORIES[value as AuditCategory];
    if (key === 'method') return SIGN_IN_METHODS[value] ?? value;
    if ((key === 'position' || key === 'fromPosition') && isPosition(value)) return POSITION_LABELS[value];
    if (key === 'issuedBy' && value === 'operator') return '运维人员（命令行）';
    if (key === 'changed') return value.split(',').map(settingLabel).join('、');
  }
  return String(value);
}

/** A county setting's name as the county admin sets it (时限与规则). */
function settingLabel(name: string): string {
  return name in COUNTY_SETTING_LABELS ? COUNTY_SETTING_LABELS[name as keyof typeof COUNTY_SETTING_LABELS] : name;
}

/** The entry's details in words, `案件数：12；完整身份证号：是`. */
export function auditDetails(details: AuditEntryRow['details']): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([key, value]) => `${DETAIL_LABELS[key] ?? key}：${detailValue(key, value)}`)
    .join('；');
}

/** One entry as the county (or a township leader) reads it: who by name and unit, when, what, about whom, why. */
export function mapAuditEntry(entry: AuditEntryRow, names: AuditNames): AuditEntryView {
  const rule = auditActionRule(entry.action);
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    action: entry.action,
    actionLabel: rule.label,
    category: rule.category,
    actor: entry.actorId
      ? {
          id: entry.actorId,
          name: names.users.get(entry.actorId) ?? '（已删除的账号）',
          role: isRole(entry.actorRole) ? entry.actorRole : null,
          unit: actorUnitLabel(entry, names),
        }
      : null,
    child: entry.childId ? { id: entry.childId, name: names.children.get(entry.childId) ?? '（已删除的记录）' } : null,
    target: auditTarget(entry, names),
    reason: entry.reason,
    details: auditDetails(entry.details),
  };
}

/**
 * One act on a parent's child (PIPL art. 44–45): when, which unit in which role, what and why,
 * never the official's name. The reason officials typed is not shown (it may name other people);
 * the purpose of the act is.
 */
export function mapAccessHistoryEntry(entry: AuditEntryRow, names: Pick<AuditNames, 'divisions' | 'schools'>): AccessHistoryEntry {
  const rule = auditActionRule(entry.action);
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    unit: actorUnitLabel(entry, names) ?? '工作人员',
    action: rule.label,
    purpose: rule.purpose ?? rule.label,
  };
}

/** The columns of the exported audit log, in order. */
export const AUDIT_SHEET_COLUMNS = [
  { key: 'at', header: '时间（北京时间）', width: 18 },
  { key: 'actor', header: '操作人', width: 12 },
  { key: 'unit', header: '单位与身份', width: 26 },
  { key: 'action', header: '操作', width: 20 },
  { key: 'category', header: '类别', width: 16 },
  { key: 'child', header: '儿童', width: 10 },
  { key: 'target', header: '对象', width: 24 },
  { key: 'targetId', header: '对象编号', width: 38 },
  { key: 'reason', header: '理由', width: 30 },
  { key: 'details', header: '详情', width: 40 },
] as const;

export type AuditSheetRow = Record<(typeof AUDIT_SHEET_COLUMNS)[number]['key'], string>;

/** `2026-11-23 20:15:07`, China time: an audit row says to the second when something happened. */
function chinaSecond(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** One entry as a row of the exported sheet. */
export function auditSheetRow(view: AuditEntryView, targetId: string | null): AuditSheetRow {
  return {
    at: chinaSecond(new Date(view.at)),
    actor: view.actor?.name ?? actorlessLabel(view.category),
    unit: view.actor?.unit ?? '',
    action: view.actionLabel,
    category: AUDIT_CATEGORIES[view.category],
    child: view.child?.name ?? '',
    target: view.target,
    targetId: targetId ?? '',
    reason: view.reason ?? '',
    details: view.details,
  };
}
