import { z } from 'zod';
import { CASE_STATUSES, PRIORITY_GROUPS } from '../../domain/cases';
import { CHILD_MATCH_REASONS, CHILD_RECORD_SOURCES, CHILD_REVIEW_STATUSES } from '../../domain/children';
import { CHILD_SEXES } from '../../domain/tips';
import { entityId, pageOf, pageQuery, textField } from '../fields';

const keys = <T extends Record<string, string>>(record: T) => Object.keys(record) as [keyof T & string, ...Array<keyof T & string>];

/**
 * One child, one record (BRIEF §3a): the county's list of record pairs that may be one child, the
 * merge of two records of one child and the split of a wrong merge, each with a reason.
 */

/** A child record as officials compare it with another: identifiers masked, place and school named. */
export const childRecordView = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(keys(CHILD_SEXES)),
  birthDate: z.string().nullable(),
  birthYear: z.number().nullable(),
  idNumberMasked: z.string().nullable(),
  /** On a school roster (has a 学籍号). */
  onRoster: z.boolean(),
  schoolName: z.string().nullable(),
  grade: z.number().nullable(),
  /** The village, in full (光山县十里镇吴明村民委员会). */
  place: z.string().nullable(),
  priorityGroups: z.array(z.enum(keys(PRIORITY_GROUPS))),
  /** Set when this record was merged into another (the survivor's id). */
  mergedIntoId: z.string().nullable(),
  /** The child's open case, if any. */
  openCase: z.object({ id: z.string(), status: z.enum(CASE_STATUSES) }).nullable(),
});
export type ChildRecordView = z.infer<typeof childRecordView>;

/** A pair of records that may be one child. `child` is the record a report landed on, `candidate` the known one. */
export const childReviewView = z.object({
  id: z.string(),
  status: z.enum(keys(CHILD_REVIEW_STATUSES)),
  reason: z.enum(keys(CHILD_MATCH_REASONS)),
  /** What found the pair; a key of CHILD_RECORD_SOURCES. */
  source: z.enum(keys(CHILD_RECORD_SOURCES)),
  createdAt: z.string(),
  child: childRecordView,
  candidate: childRecordView,
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** The merge a confirmation made (split it with `childrenSplit`), while it stands. */
  mergeId: z.string().nullable(),
});
export type ChildReviewView = z.infer<typeof childReviewView>;
export const childReviewPageResponse = pageOf(childReviewView);

export const listChildReviewsQuery = pageQuery.extend({
  status: z.enum(keys(CHILD_REVIEW_STATUSES), { error: '状态不正确' }).default('pending'),
});

export const decideChildReviewRequest = z.object({
  /** confirm: the two records are one child and are merged; reject: two children. */
  decision: z.enum(['confirm', 'reject'], { error: '请选择是否为同一儿童' }),
  reason: textField('理由', 200),
  /** On confirm: the record that stays (one of the pair). By default the roster record, else the older one. */
  survivorId: entityId.nullable().default(null),
});
export type DecideChildReviewRequest = z.input<typeof decideChildReviewRequest>;

export const mergeChildrenRequest = z.object({
  /** The record that stays: old links to the other one lead here. */
  survivorId: entityId,
  mergedId: entityId,
  reason: textField('合并理由', 200),
});
export type MergeChildrenRequest = z.input<typeof mergeChildrenRequest>;

export const splitMergeRequest = z.object({ reason: textField('拆分理由', 200) });
export type SplitMergeRequest = z.input<typeof splitMergeRequest>;

/** One merge of two records of a child, and its split if it was undone. */
export const childMergeView = z.object({
  id: z.string(),
  survivor: z.object({ id: z.string(), name: z.string() }),
  merged: z.object({ id: z.string(), name: z.string() }),
  reason: z.string(),
  at: z.string(),
  /** Who merged; null when the repair of old records did. */
  actorName: z.string().nullable(),
  /** What followed the child, in Chinese (案件 2, 出勤记录 15, …). */
  moved: z.array(z.object({ label: z.string(), count: z.number() })),
  /** Open cases merged into one because the two records were one child. */
  casesMerged: z.number(),
  split: z.object({ at: z.string(), reason: z.string(), byName: z.string().nullable() }).nullable(),
  /** Whether the caller may split it now (not split yet, the survivor not merged again since). */
  canSplit: z.boolean(),
});
export type ChildMergeView = z.infer<typeof childMergeView>;

/** A child's record (the survivor when asked with a merged id) and every merge it took part in, newest first. */
export const childMergesResponse = z.object({ child: childRecordView, items: z.array(childMergeView) });
export type ChildMergesResponse = z.infer<typeof childMergesResponse>;
