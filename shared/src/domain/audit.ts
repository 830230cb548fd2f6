/**
 * The audit log's vocabulary (BRIEF §7): every act the server records, what it is called, what kind
 * of act it is (the viewer's "by action" filter) and, for the acts of officials on a child, the
 * purpose a parent reads in the child's access history. The server's `AuditService.record` takes
 * only these actions, so an act cannot be audited without a name people can read.
 */
export const AUDIT_CATEGORIES = {
  read: '查阅儿童信息',
  reveal: '查看线索提供人',
  export: '导出',
  merge: '合并与拆分儿童记录',
  account: '账号与角色变更',
  settings: '设置变更',
  sign_in: '工作人员登录',
  audit: '查阅审计日志',
  work: '业务办理',
  family: '家长操作',
  system: '系统自动处理',
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;
export const AUDIT_CATEGORY_KEYS = Object.keys(AUDIT_CATEGORIES) as [AuditCategory, ...AuditCategory[]];

interface AuditActionRule {
  label: string;
  category: AuditCategory;
  /** Why an official did it, in a parent's words, when the act carries no reason of its own. */
  purpose?: string;
}

const CASE_WORK = '办理控辍保学案件';
const CHILD_RECORD = '核对儿童记录';
const SUBSIDY = '办理学生资助';
const ENROLMENT = '办理入学通知书';
const SCHOOL_FOLLOW_UP = '跟进学生缺勤';
const PUPIL_CHANGE = '办理学籍异动';

export const AUDIT_ACTIONS = {
  // sign-ins, accounts and roles
  'auth.sign_in': { label: '登录', category: 'sign_in' },
  'auth.desktop-login': { label: '电脑端登录', category: 'sign_in' },
  'privacy.consent': { label: '同意隐私保护指引', category: 'account' },
  'account.disable': { label: '停用账号', category: 'account' },
  'account.enable': { label: '启用账号', category: 'account' },
  'invitation.create': { label: '发放邀请码', category: 'account' },
  'invitation.revoke': { label: '撤销邀请码', category: 'account' },
  'invitation.redeem': { label: '使用邀请码（身份变更）', category: 'account' },
  'account.revoke_county_admin': { label: '撤销县教育局管理员身份', category: 'account' },
  // the county's settings
  'county.settings': { label: '修改本县时限与规则', category: 'settings' },
  'calendar.terms': { label: '修改校历学期', category: 'settings' },
  'stats.intake': { label: '填报往年一年级入学人数', category: 'settings' },
  'calendar.day': { label: '设置校历日期', category: 'settings' },
  'calendar.day_reset': { label: '恢复校历日期为国家安排', category: 'settings' },
  'subsidy.policy.create': { label: '新增资助标准', category: 'settings' },
  'subsidy.policy.end': { label: '停止执行资助标准', category: 'settings' },
  'schools.create': { label: '新增学校', category: 'settings' },
  'schools.update': { label: '修改学校信息', category: 'settings' },
  'divisions.import': { label: '导入区划代码', category: 'settings' },
  'school.import': { label: '导入学校名册', category: 'settings' },
  'county.onboard': { label: '开通本县', category: 'settings' },
  // reads of a child's record
  'case.read': { label: '查看案件', category: 'read', purpose: CASE_WORK },
  'child.guardians.read': { label: '查看监护人信息', category: 'read', purpose: '联系监护人' },
  'child.subsidies.read': { label: '查看资助情况', category: 'read', purpose: SUBSIDY },
  'pupil.follow_up.read': { label: '查看学生缺勤跟进情况', category: 'read', purpose: SCHOOL_FOLLOW_UP },
  'child.merges.read': { label: '查看记录合并历史', category: 'read', purpose: CHILD_RECORD },
  'enrolment.notice.read': { label: '查看入学通知书', category: 'read', purpose: ENROLMENT },
  'enrolment.notice.pdf': { label: '打印入学通知书', category: 'read', purpose: ENROLMENT },
  'enrolment.follow_up.read': { label: '查看未回执名单', category: 'read' },
  'subsidy.complaint.read': { label: '查看资助投诉', category: 'read', purpose: '处理资助投诉' },
  'subsidy.complaints.list': { label: '查看资助投诉列表', category: 'read' },
  'subsidy.eligibility.list': { label: '查看资助对象名单', category: 'read' },
  'subsidy.payments.list': { label: '查看资助发放记录', category: 'read' },
  // reveals and exports
  'tip.reveal_tipster': { label: '查看线索提供人', category: 'reveal' },
  'ledger.export': { label: '导出台账', category: 'export' },
  // the audit log itself
  'audit.read': { label: '查阅审计日志', category: 'audit' },
  'audit.export': { label: '导出审计日志', category: 'audit' },
  'child.access_history.read': { label: '查看孩子信息的查阅记录', category: 'audit' },
  // one child, one record
  'child.merge': { label: '合并儿童记录', category: 'merge', purpose: '合并同一儿童的重复记录' },
  'child.split': { label: '拆分儿童记录', category: 'merge', purpose: '拆分错误合并的记录' },
  'child.review.confirm': { label: '确认为同一儿童', category: 'merge', purpose: CHILD_RECORD },
  'child.review.reject': { label: '确认不是同一儿童', category: 'merge', purpose: CHILD_RECORD },
  'crosscheck.review': { label: '核对比对结果', category: 'merge', purpose: CHILD_RECORD },
  // the work of the bureau, townships and schools
  'crosscheck.run': { label: '运行四查三比对', category: 'work' },
  'registry.import': { label: '导入名册', category: 'work' },
  'subsidy.eligibility.set': { label: '认定资助资格', category: 'work', purpose: SUBSIDY },
  'subsidy.eligibility.revoke': { label: '取消资助资格', category: 'work', purpose: SUBSIDY },
  'subsidy.eligibility.import': { label: '导入资助对象名单', category: 'work' },
  'subsidy.payments.import': { label: '导入资助发放表', category: 'work' },
  'subsidy.complaint.accept': { label: '受理资助投诉', category: 'work', purpose: '处理资助投诉' },
  'subsidy.complaint.answer': { label: '答复资助投诉', category: 'work', purpose: '处理资助投诉' },
  'subsidy.complaint.reopen': { label: '继续反映资助问题', category: 'family' },
  'subsidy.complaint.close': { label: '办结资助投诉', category: 'work', purpose: '处理资助投诉' },
  'enrolment.issue': { label: '发出入学通知书', category: 'work' },
  'enrolment.remind': { label: '提醒家长回执', category: 'work' },
  'enrolment.print': { label: '打印一批入学通知书', category: 'work' },
  'enrolment.deferral.approve': { label: '批准延缓入学', category: 'work', purpose: '审批延缓入学申请' },
  'enrolment.deferral.refuse': { label: '不批准延缓入学', category: 'work', purpose: '审批延缓入学申请' },
  'leave.approve': { label: '批准请假', category: 'work', purpose: '审批请假' },
  'leave.refuse': { label: '不批准请假', category: 'work', purpose: '审批请假' },
  'school_notice.send': { label: '发送学校通知', category: 'work' },
  'circular.publish': { label: '发布考核通报', category: 'work' },
  'report.submit': { label: '上报定期报告', category: 'work' },
  'report.approve': { label: '审核通过定期报告', category: 'work' },
  'report.return': { label: '退回定期报告', category: 'work' },
  'report.reopen': { label: '重新打开已通过的定期报告', category: 'work' },
  'report.export': { label: '导出定期报告', category: 'export' },
  'spot_check.draw': { label: '督导抽查抽样', category: 'work' },
  'spot_check.read': { label: '查看督导抽查的案件（含儿童姓名）', category: 'read', purpose: '督导抽查核实孩子是否在校' },
  'spot_check.finding': { label: '登记督导核查结果', category: 'work', purpose: '督导抽查核实孩子是否在校' },
  'spot_check.export': { label: '导出督导抽查结果', category: 'export' },
  'rectification.report': { label: '登记整改情况', category: 'work' },
  'rectification.accept': { label: '验收整改', category: 'work' },
  'rectification.return': { label: '退回整改', category: 'work' },
  'class.teachers': { label: '指定班主任', category: 'account' },
  'pupil.family_contact': { label: '登记家校联系', category: 'work', purpose: SCHOOL_FOLLOW_UP },
  'pupil.report': { label: '上报疑似辍学学生', category: 'work', purpose: SCHOOL_FOLLOW_UP },
  'pupil_change.create': { label: '登记学籍异动', category: 'work', purpose: PUPIL_CHANGE },
  'pupil_change.confirm': { label: '确认转入学生', category: 'work', purpose: PUPIL_CHANGE },
  'pupil_change.refuse_transfer': { label: '不接收转入学生', category: 'work', purpose: PUPIL_CHANGE },
  'pupil_change.approve': { label: '批准休学', category: 'work', purpose: PUPIL_CHANGE },
  'pupil_change.refuse': { label: '不批准休学', category: 'work', purpose: PUPIL_CHANGE },
  // what parents do
  'child.bind': { label: '绑定孩子', category: 'family' },
  'child.unbind': { label: '解除绑定', category: 'family' },
  'notice.acknowledge': { label: '确认收到限期返校通知书', category: 'family' },
  'enrolment.acknowledge': { label: '回执入学通知书', category: 'family' },
  'enrolment.deferral.apply': { label: '申请延缓入学', category: 'family' },
  'leave.request': { label: '为孩子请假', category: 'family' },
  'leave.withdraw': { label: '撤回请假', category: 'family' },
  'subsidy.complaint.create': { label: '反映资助问题', category: 'family' },
  // the server's own work
  'retention.pseudonymise': { label: '到期案件去标识化', category: 'system' },
} as const satisfies Record<string, AuditActionRule>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The rule of an action as stored (rows written before an action was renamed read as themselves). */
export function auditActionRule(action: string): AuditActionRule {
  const rule: AuditActionRule | undefined = (AUDIT_ACTIONS as Record<string, AuditActionRule>)[action];
  return rule ?? { label: action, category: 'work' };
}

/** Every action of a category, for the viewer's filter. */
export function auditActionsOf(category: AuditCategory): AuditAction[] {
  return (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((action) => AUDIT_ACTIONS[action].category === category);
}

/**
 * What a parent sees of the acts on their child (PIPL art. 44–45): what officials and the county
 * bureau did with the record. Tipsters never appear (revealing one is not shown either: it would
 * tell the family that someone reported them), nor what families did themselves.
 */
export const GUARDIAN_VISIBLE_CATEGORIES: readonly AuditCategory[] = ['read', 'export', 'merge', 'work'];

/** The shortest reason a full-ID export accepts (the ledger with whole ID numbers). */
export const FULL_ID_REASON_MIN = 5;

/**
 * Who did an act recorded without a person: the server's own scheduled work (retention, deadlines),
 * or an operator at the command line (onboarding a county, inviting or revoking a county admin).
 */
export function actorlessLabel(category: AuditCategory): string {
  return category === 'system' ? AUDIT_CATEGORIES.system : '系统运维人员（命令行）';
}
