/**
 * Every API endpoint: method and path under `/api`. This table has no runtime dependencies so the
 * mini program's main package can import it without the schemas; `contract.ts` pairs each key with
 * its zod schemas. The server's controllers bind to these keys and a test checks both agree.
 */
import type { PolicyRow } from '../domain/policy';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  summary: string;
  /** For multipart uploads: the form field that carries the file. */
  fileField?: string;
  /**
   * The row of the access policy (`CASE_POLICY`, `RECORD_POLICY`) whose refusal the route gives a
   * caller who may not take it. Routes whose row depends on the body (a case's or a complaint's
   * transitions) name none; nor do lists that only narrow to the caller's scope (a `read_…` row in
   * the service's query): they never refuse.
   */
  policy?: PolicyRow;
}

export const routes = {
  health: { method: 'GET', path: '/health', summary: '服务与数据库状态' },

  authOptions: { method: 'GET', path: '/auth/options', summary: '登录方式（演示模式下列出演示账号）' },
  authWechatLogin: { method: 'POST', path: '/auth/wechat-login', summary: '微信登录：用 wx.login 的 code 换取会话' },
  authDevLogin: { method: 'POST', path: '/auth/dev-login', summary: '演示登录（仅演示/本地模式）' },
  authLogout: { method: 'POST', path: '/auth/logout', summary: '退出登录，注销当前会话' },
  authDesktopCode: { method: 'POST', path: '/auth/desktop-codes', summary: '在小程序中获取电脑端登录码' },
  authDesktopLogin: { method: 'POST', path: '/auth/desktop-login', summary: '电脑端（H5）用登录码登录' },

  me: { method: 'GET', path: '/me', summary: '当前用户' },
  meUpdateProfile: { method: 'PATCH', path: '/me', summary: '修改姓名' },
  mePrivacyConsent: { method: 'POST', path: '/me/privacy-consent', summary: '记录同意隐私保护指引' },

  invitationsCreate: { method: 'POST', path: '/invitations', summary: '发放邀请码', policy: { record: 'issue_invitations' } },
  invitationsList: { method: 'GET', path: '/invitations', summary: '本县邀请码列表', policy: { record: 'read_invitation' } },
  invitationsRevoke: { method: 'POST', path: '/invitations/:id/revoke', summary: '撤销邀请码', policy: { record: 'issue_invitations' } },
  invitationsRedeem: { method: 'POST', path: '/invitations/redeem', summary: '使用邀请码成为监督员、工作人员或县教育局管理员' },

  divisionsServed: { method: 'GET', path: '/divisions/served', summary: '本系统服务的县' },
  divisionsSearch: { method: 'GET', path: '/divisions/search', summary: '按名称搜索行政区划' },
  divisionsGet: { method: 'GET', path: '/divisions/:code', summary: '一个行政区划' },
  divisionsChildren: { method: 'GET', path: '/divisions/:code/children', summary: '下级行政区划（级联选择）' },
  divisionsImport: {
    method: 'POST',
    path: '/divisions/import',
    summary: '导入区划代码文件（CSV）',
    fileField: 'file',
    policy: { record: 'import_divisions' },
  },

  schoolsList: { method: 'GET', path: '/schools', summary: '学校列表' },
  schoolsGet: { method: 'GET', path: '/schools/:id', summary: '一所学校' },
  schoolsCreate: { method: 'POST', path: '/schools', summary: '新增学校', policy: { record: 'manage_schools' } },
  schoolsUpdate: { method: 'PATCH', path: '/schools/:id', summary: '修改学校', policy: { record: 'manage_schools' } },

  tipsCreate: { method: 'POST', path: '/tips', summary: '监督员提交疑似辍学线索' },
  tipsMine: { method: 'GET', path: '/tips/mine', summary: '我提交的线索及进展' },
  tipsGet: { method: 'GET', path: '/tips/:id', summary: '我提交的一条线索' },
  tipsReveal: { method: 'POST', path: '/tips/:id/reveal', summary: '说明理由后查看线索提供人（留痕）', policy: { case: 'reveal_tipster' } },
  tipsSplit: { method: 'POST', path: '/tips/:id/split', summary: '把误并入的线索拆分为新案件', policy: { case: 'split' } },

  uploadsCreate: { method: 'POST', path: '/uploads', summary: '上传证据照片', fileField: 'file' },
  uploadsFile: { method: 'GET', path: '/uploads/:id/file', summary: '查看已上传的照片（限时签名链接）' },

  casesList: { method: 'GET', path: '/cases', summary: '本单位的案件（收件箱）' },
  casesTriage: { method: 'GET', path: '/cases/triage', summary: '县级待分派线索' },
  casesGet: { method: 'GET', path: '/cases/:id', summary: '一个案件' },
  casesAssignees: { method: 'GET', path: '/cases/:id/assignees', summary: '可担任包抓干部的人员' },
  casesAccept: { method: 'POST', path: '/cases/:id/accept', summary: '受理案件并指定包抓干部', policy: { case: 'accept' } },
  casesRoute: { method: 'POST', path: '/cases/:id/route', summary: '县教育局人工分派到乡镇', policy: { case: 'route' } },
  casesReturnToTriage: {
    method: 'POST',
    path: '/cases/:id/return-to-triage',
    summary: '非本乡镇案件，退回县级分派',
    policy: { case: 'return_to_triage' },
  },
  casesMerge: { method: 'POST', path: '/cases/:id/merge', summary: '合并同一儿童的重复案件', policy: { case: 'merge' } },
  casesLedger: { method: 'GET', path: '/cases/ledger', summary: '导出台账（.xlsx）' },
  casesTransition: {
    method: 'POST',
    path: '/cases/:id/transitions',
    summary: '推进案件：核查、结案、确认辍学、升级、返校、销号、重新劝返',
  },
  casesLogVisit: { method: 'POST', path: '/cases/:id/visits', summary: '登记家访劝返', policy: { case: 'log_visit' } },
  casesSetCauses: { method: 'PUT', path: '/cases/:id/causes', summary: '设置辍学原因', policy: { case: 'set_causes' } },
  casesSetAssignee: { method: 'PUT', path: '/cases/:id/assignee', summary: '更换包抓干部', policy: { case: 'set_assignee' } },
  casesConfirmEnrolment: {
    method: 'POST',
    path: '/cases/:id/confirm-enrolment',
    summary: '接收学校确认转入学生已就读',
    policy: { case: 'confirm_enrolment' },
  },
  casesAttendance: { method: 'GET', path: '/cases/:id/attendance', summary: '返校后的出勤情况' },
  casesRecordAttendance: {
    method: 'POST',
    path: '/cases/:id/attendance',
    summary: '学校登记返校学生出勤',
    policy: { case: 'record_attendance' },
  },
  casesTransfer: { method: 'POST', path: '/cases/:id/transfers', summary: '移交案件到其他乡镇或学校', policy: { case: 'transfer' } },
  transfersIncoming: { method: 'GET', path: '/transfers/incoming', summary: '待本单位接收的移交' },
  transfersAccept: { method: 'POST', path: '/transfers/:id/accept', summary: '接收移交' },
  transfersReject: { method: 'POST', path: '/transfers/:id/reject', summary: '拒绝移交' },
  noticesPaperDelivery: {
    method: 'POST',
    path: '/case-notices/:id/paper-delivery',
    summary: '登记书面通知已纸质送达',
    policy: { case: 'deliver_notice' },
  },
  noticesMine: { method: 'GET', path: '/notices/mine', summary: '家长收到的正式通知' },
  noticesAcknowledge: { method: 'POST', path: '/notices/:id/acknowledge', summary: '家长确认收到通知（回执）' },
  rechecksComplete: { method: 'POST', path: '/rechecks/:id', summary: '登记复查结果', policy: { case: 'complete_recheck' } },
  dispatchList: { method: 'GET', path: '/dispatch', summary: '一日一调度：逾期事项清单', policy: { record: 'read_dispatch' } },
  countySettingsGet: { method: 'GET', path: '/county/settings', summary: '本县的时限与规则' },
  countySettingsUpdate: { method: 'PUT', path: '/county/settings', summary: '修改本县的时限与规则' },

  childrenBind: { method: 'POST', path: '/children/bind', summary: '家长用绑定码和孩子姓名绑定孩子' },
  childrenMine: { method: 'GET', path: '/children/mine', summary: '我绑定的孩子' },
  childrenUnbind: { method: 'POST', path: '/children/:id/unbind', summary: '解除绑定' },
  childrenGuardians: { method: 'GET', path: '/children/:id/guardians', summary: '孩子的监护人（花名册和已绑定的家长）' },
  childrenSubsidies: { method: 'GET', path: '/children/:id/subsidies', summary: '孩子的资助：各学期应享金额与每笔发放' },
  childrenAccessHistory: {
    method: 'GET',
    path: '/children/:id/access-history',
    summary: '孩子信息的查阅记录（家长）',
    policy: { record: 'read_access_history' },
  },
  childrenReviews: {
    method: 'GET',
    path: '/children/reviews',
    summary: '疑似同一儿童的记录（待人工确认）',
    policy: { record: 'review_children' },
  },
  childrenReviewDecide: {
    method: 'POST',
    path: '/children/reviews/:id/decision',
    summary: '确认是同一儿童（合并记录）或不是',
    policy: { record: 'review_children' },
  },
  childrenMerge: { method: 'POST', path: '/children/merges', summary: '合并同一儿童的两条记录', policy: { record: 'review_children' } },
  childrenSplit: {
    method: 'POST',
    path: '/children/merges/:id/split',
    summary: '拆分错误合并的儿童记录',
    policy: { record: 'review_children' },
  },
  childrenMerges: {
    method: 'GET',
    path: '/children/:id/merges',
    summary: '儿童记录的合并与拆分历史',
    policy: { record: 'review_children' },
  },

  enrolmentIssue: {
    method: 'POST',
    path: '/enrolment/batches',
    summary: '批量发出入学通知书',
    policy: { record: 'issue_enrolment_notices' },
  },
  enrolmentBatches: { method: 'GET', path: '/enrolment/batches', summary: '已发出的入学通知书批次' },
  enrolmentBatchPdf: { method: 'GET', path: '/enrolment/batches/:id/pdf', summary: '打印一批入学通知书（PDF）' },
  enrolmentRemind: { method: 'POST', path: '/enrolment/batches/:id/remind', summary: '提醒未回执的家长' },
  enrolmentFollowUp: { method: 'GET', path: '/enrolment/follow-up', summary: '按学校和村统计未回执名单' },
  enrolmentMine: { method: 'GET', path: '/enrolment/notices/mine', summary: '家长收到的入学通知书' },
  enrolmentGet: { method: 'GET', path: '/enrolment/notices/:id', summary: '一份入学通知书' },
  enrolmentPdf: { method: 'GET', path: '/enrolment/notices/:id/pdf', summary: '入学通知书（PDF，含绑定码）' },
  enrolmentAcknowledge: { method: 'POST', path: '/enrolment/notices/:id/acknowledge', summary: '家长回执：确认收到入学通知书' },
  deferralsApply: { method: 'POST', path: '/enrolment/notices/:id/deferral', summary: '申请延缓入学' },
  deferralsList: { method: 'GET', path: '/enrolment/deferrals', summary: '待审批和已审批的延缓入学申请' },
  deferralsDecide: {
    method: 'POST',
    path: '/enrolment/deferrals/:id/decision',
    summary: '批准或不批准延缓入学',
    policy: { record: 'decide_deferral' },
  },

  schoolNoticesSend: {
    method: 'POST',
    path: '/school-notices',
    summary: '学校向全校、年级或班级家长发通知',
    policy: { record: 'send_school_notice' },
  },
  schoolNoticesList: { method: 'GET', path: '/school-notices', summary: '学校发出的通知及阅读人数' },
  schoolNoticesMine: { method: 'GET', path: '/school-notices/mine', summary: '家长收到的学校通知' },
  schoolNoticesGet: { method: 'GET', path: '/school-notices/:id', summary: '一条学校通知及阅读人数' },
  schoolNoticesRead: { method: 'POST', path: '/school-notices/:id/read', summary: '家长阅读学校通知' },

  subsidyPolicies: { method: 'GET', path: '/subsidies/policies', summary: '资助标准（国家标准和本县补助）' },
  subsidyPoliciesCreate: {
    method: 'POST',
    path: '/subsidies/policies',
    summary: '新增本县补助或营养改善计划标准',
    policy: { record: 'manage_subsidy_policies' },
  },
  subsidyPoliciesEnd: {
    method: 'POST',
    path: '/subsidies/policies/:id/end',
    summary: '停止执行本县的一项标准',
    policy: { record: 'manage_subsidy_policies' },
  },
  eligibilityList: {
    method: 'GET',
    path: '/subsidies/eligibility',
    summary: '资助对象（按学年认定）',
    policy: { record: 'read_eligibility' },
  },
  eligibilitySet: {
    method: 'PUT',
    path: '/subsidies/eligibility',
    summary: '认定或修改一名学生的资助资格',
    policy: { record: 'manage_eligibility' },
  },
  eligibilityRevoke: {
    method: 'POST',
    path: '/subsidies/eligibility/:id/revoke',
    summary: '取消一名学生的资助资格',
    policy: { record: 'manage_eligibility' },
  },
  eligibilityTemplate: { method: 'GET', path: '/subsidies/eligibility/template', summary: '资助对象导入模板（.xlsx）' },
  eligibilityImport: {
    method: 'POST',
    path: '/subsidies/eligibility/import',
    summary: '导入资助对象名单',
    fileField: 'file',
    policy: { record: 'manage_eligibility' },
  },
  paymentsList: { method: 'GET', path: '/subsidies/payments', summary: '资助发放记录', policy: { record: 'read_payment' } },
  paymentsTemplate: { method: 'GET', path: '/subsidies/payments/template', summary: '资助发放导入模板（.xlsx）' },
  paymentsImport: {
    method: 'POST',
    path: '/subsidies/payments/import',
    summary: '导入资助发放表',
    fileField: 'file',
    policy: { record: 'import_payments' },
  },
  complaintsCreate: { method: 'POST', path: '/subsidies/complaints', summary: '家长反映资助问题（资助投诉）' },
  complaintsMine: { method: 'GET', path: '/subsidies/complaints/mine', summary: '我反映的资助问题' },
  complaintsList: { method: 'GET', path: '/subsidies/complaints', summary: '本县学生资助投诉' },
  complaintsGet: { method: 'GET', path: '/subsidies/complaints/:id', summary: '一件资助投诉及处理过程' },
  complaintsTransition: { method: 'POST', path: '/subsidies/complaints/:id/transitions', summary: '受理、答复、继续反映或办结资助投诉' },

  messagesList: { method: 'GET', path: '/messages', summary: '我的消息' },
  messagesRead: { method: 'POST', path: '/messages/:id/read', summary: '标记消息已读' },
  messagesReadAll: { method: 'POST', path: '/messages/read-all', summary: '全部标记已读' },
  subscriptionsGet: { method: 'GET', path: '/me/subscriptions', summary: '订阅消息模板与剩余次数' },
  subscriptionsRecord: { method: 'POST', path: '/me/subscriptions', summary: '记录用户同意的订阅消息' },

  registryTemplate: {
    method: 'GET',
    path: '/registry/templates/:kind',
    summary: '下载名册导入模板（.xlsx）',
    policy: { record: 'import_registry' },
  },
  registryImport: {
    method: 'POST',
    path: '/registry/imports',
    summary: '导入名册（.xlsx 或 .csv）',
    fileField: 'file',
    policy: { record: 'import_registry' },
  },
  registryImports: { method: 'GET', path: '/registry/imports', summary: '导入记录', policy: { record: 'import_registry' } },
  registryImportGet: {
    method: 'GET',
    path: '/registry/imports/:id',
    summary: '一次导入的进度与结果',
    policy: { record: 'import_registry' },
  },
  crosscheckStart: { method: 'POST', path: '/crosscheck/runs', summary: '运行四查三比对', policy: { record: 'run_crosscheck' } },
  crosscheckRuns: { method: 'GET', path: '/crosscheck/runs', summary: '比对记录', policy: { record: 'run_crosscheck' } },
  crosscheckRunGet: { method: 'GET', path: '/crosscheck/runs/:id', summary: '一次比对的结果', policy: { record: 'run_crosscheck' } },
  crosscheckReviews: {
    method: 'GET',
    path: '/crosscheck/reviews',
    summary: '待人工确认的疑似同一人',
    policy: { record: 'run_crosscheck' },
  },
  crosscheckDecide: {
    method: 'POST',
    path: '/crosscheck/reviews/:id',
    summary: '确认或否认是同一人',
    policy: { record: 'run_crosscheck' },
  },
  statsDropout: { method: 'GET', path: '/stats/dropout', summary: '辍学率与案件统计', policy: { record: 'read_stats' } },
  statsExport: { method: 'GET', path: '/stats/export', summary: '导出统计（.xlsx）', policy: { record: 'read_stats' } },

  accountsList: { method: 'GET', path: '/accounts', summary: '本县账号列表', policy: { record: 'read_account' } },
  accountsUpdate: { method: 'PATCH', path: '/accounts/:id', summary: '停用或启用账号' },

  auditList: { method: 'GET', path: '/audit', summary: '审计日志（查阅留痕）', policy: { record: 'read_audit' } },
  auditExport: { method: 'GET', path: '/audit/export', summary: '导出审计日志（.xlsx）', policy: { record: 'read_audit' } },
} as const satisfies Record<string, RouteDef>;

export type RouteKey = keyof typeof routes;

/** Fills `:param` placeholders; throws when one is missing so a bad call never reaches the server. */
export function buildPath(key: RouteKey, params: Record<string, string> = {}): string {
  return routes[key].path.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${key}`);
    return encodeURIComponent(value);
  });
}
