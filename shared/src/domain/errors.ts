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
  /** After a conflict (409): the record as it is now, so the client can show it without another request. */
  current?: unknown;
}

export interface ApiRowError {
  line: number;
  column?: string;
  message: string;
}

export const ERRORS = {
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
  CHILD_HAS_OPEN_CASE: { status: 409, message: '这个孩子已有一个正在办理的案件，请在该案件中继续处理' },
  CHILD_MERGE_REFUSED: { status: 409, message: '这两条记录不能合并' },
  CHILD_ALREADY_MERGED: { status: 409, message: '该儿童记录已合并到另一条记录，请在合并后的记录上操作' },
  TIP_DAILY_LIMIT: { status: 429, message: '今天提交的线索已达上限，请明天再提交；紧急情况请直接联系乡镇或县教育局' },
  INVITATION_INVALID: { status: 400, message: '邀请码无效，请核对后重新输入' },
  INVITATION_EXPIRED: { status: 400, message: '邀请码已过期，请联系县教育局重新发放' },
  INVITATION_REVOKED: { status: 400, message: '邀请码已被撤销，请联系县教育局' },
  INVITATION_USED: { status: 400, message: '邀请码已被使用' },
  BINDING_INVALID: { status: 400, message: '绑定码或孩子姓名不正确，请核对通知书后重新输入' },
  FILE_INVALID: { status: 422, message: '文件内容有误，未导入任何数据，请按行号修改后重新上传' },
  FILE_TOO_LARGE: { status: 413, message: '文件过大' },
  UNSUPPORTED_FILE: { status: 415, message: '不支持的文件类型' },
  RATE_LIMITED: { status: 429, message: '操作过于频繁，请稍后再试' },
  PDF_UNAVAILABLE: { status: 503, message: '服务器缺少打印通知书所需的中文字体，暂时无法生成PDF，请联系系统管理员' },
  WECHAT_UNAVAILABLE: { status: 503, message: '微信服务暂时不可用，请稍后再试' },
  DATABASE_UNAVAILABLE: { status: 503, message: '系统暂时无法访问数据库，请稍后再试，已提交的内容不会丢失' },
  INTERNAL: { status: 500, message: '系统出现错误，请稍后再试' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
