import type { Me, RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type ChildReview = ResponseOf<'childrenReviewDecide'>;
export type ChildRecord = ChildReview['child'];
export type ChildReviewStatus = ChildReview['status'];
export type ChildMerge = ResponseOf<'childrenSplit'>;
export type ChildMerges = ResponseOf<'childrenMerges'>;

/**
 * One child, one record (BRIEF §3a): pairs of records that may be one child, for county admins and
 * township leaders to confirm (merge) or reject, and merges they can split again.
 */
export const childrenApi = {
  reviews: (query: RequestQuery<'childrenReviews'>) => call('childrenReviews', { query }),
  /** Confirm merges the pair (the survivor by default the roster record); reject keeps both. */
  decide: (id: string, body: RequestBody<'childrenReviewDecide'>) => call('childrenReviewDecide', { params: { id }, body }),
  merge: (body: RequestBody<'childrenMerge'>) => call('childrenMerge', { body }),
  split: (mergeId: string, reason: string) => call('childrenSplit', { params: { id: mergeId }, body: { reason } }),
  /** The child's record (the survivor when given a merged record's id) and its merges, newest first. */
  merges: (childId: string) => call('childrenMerges', { params: { id: childId } }),
};

/** Who confirms, merges and splits child records: county admins (their county) and township leaders (their township). */
export function canReviewChildren(user: Me): boolean {
  if (user.role === 'county_admin') return true;
  return user.role === 'official' && user.position === 'leader' && user.unit?.kind === 'division' && user.unit.level === 'township';
}
