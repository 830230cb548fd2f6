/**
 * Every error the API answers with has this shape. `code` is a stable English identifier for
 * programs, `message` is Simplified Chinese for the person, `fields` names each offending field
 * (a dotted path) with its own message, and `rows` lists problems in an uploaded file by line.
 */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  fields: Record<string, string>;
  rows?: ApiRowError[];
  /**
   * After a conflict (409): the record as it is now, so the client can show it without another request;
   * with `INVITATION_ROLE_CHANGE`, the change the user is asked to confirm.
   */
  current?: unknown;
}

export interface ApiRowError {
  line: number;
  column?: string;
  message: string;
}

/**
 * The HTTP statuses errors are answered with: 400 bad input, 401/403 who you are and what you may do,
 * 404 not there (or not yours), 409 refused because of the record's state, 413/415/422 files,
 * 429 a limit, 500/503 the server. The error filter decides for each how it is logged.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** What a code means to the client: its status, and the Chinese message used when the throw gives none. */
export interface ErrorSpec {
  readonly status: ErrorStatus;
  readonly message: string;
}

type Group<Prefix extends string> = Record<`${Prefix}${string}`, ErrorSpec>;

/**
 * The error table, one group per module. A module's codes carry its prefix (checked by `satisfies`),
 * codes are unique across groups (checked below), and `ErrorCode` is the one union of them all.
 * A refusal the client may want to branch on gets a code of its own here, never `CONFLICT` with free
 * text: `CONFLICT` is only "someone changed the record meanwhile" (sent with `current`).
 */
export const ERROR_GROUPS = {
  common: {
    VALIDATION_FAILED: { status: 400, message: '提交的内容有误，请按提示修改' },
    MALFORMED_REQUEST: { status: 400, message: '请求格式不正确' },
    UNAUTHENTICATED: { status: 401, message: '请先登录' },
    SESSION_EXPIRED: { status: 401, message: '登录已失效，请重新登录' },
    WECHAT_CODE_INVALID: { status: 401, message: '微信登录凭证无效或已过期，请重新登录' },
    ACCOUNT_DISABLED: { status: 403, message: '该账号已停用，请联系县教育局' },
    FORBIDDEN: { status: 403, message: '您没有权限进行此操作' },
    NOT_FOUND: { status: 404, message: '找不到该记录，或您无权查看' },
    ROUTE_NOT_FOUND: { status: 404, message: '请求的接口不存在' },
    CONFLICT: { status: 409, message: '数据已被他人修改，请刷新后重试' },
    ALREADY_EXISTS: { status: 409, message: '该记录已存在' },
    /** Two transactions wrote the same rows at once (a deadlock, a Galera certification failure) and retries did not settle it. */
    WRITE_CONFLICT: { status: 409, message: '数据正被他人同时修改，请稍后重试' },
    FILE_INVALID: { status: 422, message: '文件内容有误，未导入任何数据，请按行号修改后重新上传' },
    FILE_TOO_LARGE: { status: 413, message: '文件过大' },
    UNSUPPORTED_FILE: { status: 415, message: '不支持的文件类型' },
    RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
    /** The shared counter of a limit (Redis) does not answer: refused rather than left unlimited. */
    RATE_LIMIT_UNAVAILABLE: { status: 503, message: '系统繁忙，暂时无法完成安全校验，请稍后再试' },
    PDF_UNAVAILABLE: { status: 503, message: '服务器缺少打印通知书所需的中文字体，暂时无法生成PDF，请联系系统管理员' },
    WECHAT_UNAVAILABLE: { status: 503, message: '微信服务暂时不可用，请稍后再试' },
    DATABASE_UNAVAILABLE: { status: 503, message: '系统暂时无法访问数据库，请稍后再试，已提交的内容不会丢失' },
    FILE_STORE_UNAVAILABLE: { status: 503, message: '文件存储暂时无法访问，请稍后再试' },
    /** Answered by the load balancer, not an instance: none was reachable, or the one serving the request stopped before answering. */
    SERVICE_UNAVAILABLE: { status: 503, message: '服务暂时不可用，请稍后重试' },
    INTERNAL: { status: 500, message: '系统出现错误，请稍后再试' },
  },
  children: {
    CHILD_HAS_OPEN_CASE: { status: 409, message: '这个孩子已有一个正在办理的案件，请在该案件中继续处理' },
    CHILD_MERGE_REFUSED: { status: 409, message: '这两条记录不能合并' },
    CHILD_ALREADY_MERGED: { status: 409, message: '该儿童记录已合并到另一条记录，请在合并后的记录上操作' },
    CHILD_MERGE_ALREADY_SPLIT: { status: 409, message: '这次合并已经拆分过了' },
    CHILD_MERGE_SUPERSEDED: { status: 409, message: '这次合并已不再有效' },
    CHILD_REVIEW_DECIDED: { status: 409, message: '这对记录已经确认过了' },
  } satisfies Group<'CHILD_'>,
  cases: {
    CASE_STEP_OUT_OF_ORDER: { status: 409, message: '案件当前状态下不能进行这一步' },
    CASE_CLOSED: { status: 409, message: '案件已结案' },
    CASE_NOT_IN_PROGRESS: { status: 409, message: '案件尚未受理或已结案' },
    CASE_IN_TRIAGE: { status: 409, message: '案件已在县级待分派队列中' },
    CASE_RETURN_TOO_LATE: { status: 409, message: '案件已在核查或处理中，不能退回' },
    CASE_ESCALATION_TAKEN: { status: 409, message: '该措施已经采取过' },
    CASE_ATTENDANCE_SHORT: { status: 409, message: '返校后出勤天数还不够，暂不能销号' },
    CASE_NOT_RETURNED: { status: 409, message: '孩子尚未登记返校，不能登记出勤' },
    CASE_TRANSFER_PENDING: { status: 409, message: '已有一个待接收的移交' },
    CASE_TRANSFER_DECIDED: { status: 409, message: '该移交已处理' },
    CASE_NOTICE_DELIVERED: { status: 409, message: '该通知已送达' },
    CASE_RECHECK_DONE: { status: 409, message: '该复查已登记' },
  } satisfies Group<'CASE_'>,
  tips: {
    TIP_DAILY_LIMIT: { status: 429, message: '今天提交的线索已达上限，请明天再提交；紧急情况请直接联系乡镇或县教育局' },
    TIP_KEY_REUSED: { status: 409, message: '该提交编号已用于另一条线索，请刷新后重新提交' },
    TIP_SINGLE_ON_CASE: { status: 409, message: '案件只有这一条线索，无需拆分' },
  } satisfies Group<'TIP_'>,
  invitations: {
    INVITATION_INVALID: { status: 400, message: '邀请码无效，请核对后重新输入' },
    INVITATION_EXPIRED: { status: 400, message: '邀请码已过期，请联系县教育局重新发放' },
    INVITATION_REVOKED: { status: 400, message: '邀请码已被撤销，请联系县教育局' },
    INVITATION_USED: { status: 400, message: '邀请码已被使用' },
    INVITATION_NOT_REVOCABLE: { status: 409, message: '邀请码已被使用，无法撤销；如需收回权限请停用该账号' },
    /** Sent with the `RoleChange` as `current`: the page shows it and redeems again with `confirmRoleChange`. */
    INVITATION_ROLE_CHANGE: { status: 409, message: '使用这个邀请码会改变您现在的身份或单位，请确认后再使用' },
  } satisfies Group<'INVITATION_'>,
  guardians: {
    BINDING_INVALID: { status: 400, message: '绑定码或孩子姓名不正确，请核对通知书后重新输入' },
    BINDING_LOCKED: { status: 429, message: '绑定码或姓名输错次数过多，为保护孩子信息，请稍后再试' },
    GUARDIANS_FULL: { status: 409, message: '该孩子绑定的家长已满，如需更换请联系学校' },
  } satisfies Group<'BINDING_' | 'GUARDIANS_'>,
  enrolment: {
    DEFERRAL_APPROVED: { status: 409, message: '已批准延缓入学，无需再次申请' },
    DEFERRAL_PENDING: { status: 409, message: '已有一份申请正在审批，请耐心等待' },
    DEFERRAL_DECIDED: { status: 409, message: '该申请已审批' },
  } satisfies Group<'DEFERRAL_'>,
  leave: {
    LEAVE_OVERLAP: { status: 409, message: '这几天已经请过假了，请勿重复申请' },
    LEAVE_DECIDED: { status: 409, message: '该请假已审批' },
    LEAVE_NOT_WITHDRAWABLE: { status: 409, message: '请假已开始或已审批不通过，不能撤回' },
  } satisfies Group<'LEAVE_'>,
  rollCalls: {
    ROLL_CALL_NOT_SCHOOL_DAY: { status: 400, message: '这一天不是上学日，不能点名' },
    ROLL_CALL_FUTURE_DAY: { status: 400, message: '不能为今天以后的日期点名' },
    ROLL_CALL_TOO_LATE: { status: 400, message: '点名日期太早，只能补交最近7天的点名' },
    ROLL_CALL_PUPIL_NOT_IN_CLASS: { status: 400, message: '所标记的学生不在这个班级' },
    ROLL_CALL_CLOSED: { status: 409, message: '点名只能在当天修改，这一天的点名已不能修改' },
    ROLL_CALL_KEY_REUSED: { status: 409, message: '该提交编号已用于另一次点名，请刷新后重新提交' },
  } satisfies Group<'ROLL_CALL_'>,
  pupilChanges: {
    PUPIL_CHANGE_PENDING: { status: 409, message: '该学生已有一项学籍异动正在办理，请等待处理完毕' },
    PUPIL_CHANGE_DECIDED: { status: 409, message: '该学籍异动已处理' },
    PUPIL_CHANGE_WRONG_KIND: { status: 409, message: '该学籍异动不需要这一步' },
  } satisfies Group<'PUPIL_CHANGE_'>,
  subsidies: {
    COMPLAINT_STEP_OUT_OF_ORDER: { status: 409, message: '投诉当前状态下不能进行这一步' },
  } satisfies Group<'COMPLAINT_'>,
  registry: {
    CROSSCHECK_RUNNING: { status: 409, message: '已有一次比对正在运行，请稍后' },
    CROSSCHECK_REVIEW_DECIDED: { status: 409, message: '该比对已处理' },
  } satisfies Group<'CROSSCHECK_'>,
  spotChecks: {
    SPOT_CHECK_FINDING_RECORDED: { status: 409, message: '这件抽查案件已登记核查结果' },
    SPOT_CHECK_RECTIFICATION_STEP: { status: 409, message: '整改事项当前状态下不能进行这一步' },
  } satisfies Group<'SPOT_CHECK_'>,
  reports: {
    REPORT_STEP_OUT_OF_ORDER: { status: 409, message: '报告当前状态下不能进行这一步' },
    REPORT_PERIOD_NOT_ENDED: { status: 400, message: '报告期尚未结束，不能上报' },
  } satisfies Group<'REPORT_'>,
} as const satisfies Record<string, Record<string, ErrorSpec>>;

type Groups = typeof ERROR_GROUPS;
type CodesOf<G extends keyof Groups> = keyof Groups[G] & string;
/** A code that two groups both declare: must be none (the merged table would keep only one). */
type DuplicatedCode = {
  [G in keyof Groups]: { [H in Exclude<keyof Groups, G>]: Extract<CodesOf<G>, CodesOf<H>> }[Exclude<keyof Groups, G>];
}[keyof Groups];
const noDuplicatedCode: [DuplicatedCode] extends [never] ? true : DuplicatedCode = true;
void noDuplicatedCode;

/** Every code of every module, with its status and default message. */
export const ERRORS = {
  ...ERROR_GROUPS.common,
  ...ERROR_GROUPS.children,
  ...ERROR_GROUPS.cases,
  ...ERROR_GROUPS.tips,
  ...ERROR_GROUPS.invitations,
  ...ERROR_GROUPS.guardians,
  ...ERROR_GROUPS.enrolment,
  ...ERROR_GROUPS.leave,
  ...ERROR_GROUPS.rollCalls,
  ...ERROR_GROUPS.pupilChanges,
  ...ERROR_GROUPS.subsidies,
  ...ERROR_GROUPS.registry,
  ...ERROR_GROUPS.spotChecks,
  ...ERROR_GROUPS.reports,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;
/** The module an error belongs to. */
export type ErrorModule = keyof Groups;
/** A group left out of `ERRORS` above: must be none. */
type UnmergedCode = Exclude<{ [G in keyof Groups]: CodesOf<G> }[keyof Groups], ErrorCode>;
const noUnmergedCode: [UnmergedCode] extends [never] ? true : UnmergedCode = true;
void noUnmergedCode;
