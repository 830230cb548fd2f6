/**
 * One child, one record (BRIEF §3a): why two records were put before an official as possibly one
 * child, and what the official decided.
 */

/** Why a pair of records is listed for review. */
export const CHILD_MATCH_REASONS = {
  identity_conflict: '身份证号或学籍号相同，但姓名或出生日期不同',
  ambiguous: '有多名已知儿童同样符合',
  neighbouring_village: '同名、年龄相近，住在本乡镇的另一个村或在同一所学校',
  near_birth_year: '同村同名，出生年份相差一年或不详',
} as const;
export type ChildMatchReason = keyof typeof CHILD_MATCH_REASONS;

export const CHILD_REVIEW_STATUSES = {
  pending: '待确认',
  confirmed: '已确认是同一儿童（已合并）',
  rejected: '已确认不是同一儿童',
} as const;
export type ChildReviewStatus = keyof typeof CHILD_REVIEW_STATUSES;

/** Which source found the pair. */
export const CHILD_RECORD_SOURCES = {
  tip: '监督员线索',
  roster: '学籍名册',
  household: '户籍名册',
  absence: '缺勤记录',
  poverty: '困难家庭名单',
  school: '学校报告',
  binding: '家长绑定',
  cross_check: '四查三比对',
  split: '拆分记录',
  repair: '历史数据修复',
} as const;
export type ChildRecordSource = keyof typeof CHILD_RECORD_SOURCES;
