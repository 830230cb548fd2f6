import { routes, type RouteKey } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { ChildMergeService } from '../../server/src/modules/children/child-merge.service';
import { ChildMatchReview } from '../../server/src/modules/children/child-registry.entities';
import { OTHER_COUNTY } from './factories';
import { createPupil, DEMO_COUNTY } from './pupils';
import type { TestServer } from './server';
import { WUMING } from './tips';

/**
 * Records for the access matrix's child-record routes (review pairs, merge, split, history): in the
 * demo county, and the same in the other county for the out-of-scope calls.
 */
export interface ChildRecords {
  /** A pending pair: a roster pupil and a record made from a tip. */
  reviewId: string;
  /** Two records of one child to merge (the first stays). */
  survivorId: string;
  mergedId: string;
  /** A merge to split, and a child whose history to read. */
  mergeId: string;
  childId: string;
  other: { reviewId: string; survivorId: string; mergedId: string; mergeId: string; childId: string };
}

async function seedCounty(
  server: TestServer,
  place: { village: string; county: string },
  prefix: string,
): Promise<Omit<ChildRecords, 'other'>> {
  const { dataSource } = server;
  const pupil = (name: string) => createPupil(dataSource, { name, villageCode: place.village, countyCode: place.county });
  // a record made from a tip: no roster identifiers
  const reported = (name: string) =>
    createPupil(dataSource, {
      name,
      villageCode: place.village,
      countyCode: place.county,
      idNumber: null,
      studentNumber: null,
      bindingCode: null,
      grade: null,
      guardian: null,
    });
  const [reviewed, reviewedTip, survivor, merged, splitSurvivor, splitMerged] = await Promise.all([
    pupil(`${prefix}核对`),
    reported(`${prefix}核队`),
    pupil(`${prefix}合并`),
    reported(`${prefix}合并`),
    pupil(`${prefix}拆分`),
    reported(`${prefix}拆分`),
  ]);
  const reviewId = newId();
  await dataSource.manager.insert(ChildMatchReview, {
    id: reviewId,
    countyCode: place.county,
    childId: reviewedTip.id,
    candidateId: reviewed.id,
    reason: 'neighbouring_village',
    source: 'tip',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    createdAt: new Date(),
  });
  const merge = await dataSource.transaction((manager) =>
    server.app.get(ChildMergeService).merge(manager, splitSurvivor.id, splitMerged.id, { reason: '矩阵测试合并', actorId: null }),
  );
  return { reviewId, survivorId: survivor.id, mergedId: merged.id, mergeId: merge.id, childId: splitMerged.id };
}

export async function seedChildRecords(server: TestServer): Promise<ChildRecords> {
  const own = await seedCounty(server, { village: WUMING, county: DEMO_COUNTY }, '矩阵');
  const other = await seedCounty(server, { village: OTHER_COUNTY.village, county: OTHER_COUNTY.code }, '别县');
  return { ...own, other };
}

interface Call {
  path: string;
  body?: Record<string, unknown>;
}

const at = (key: RouteKey, id: string) => routes[key].path.replace(':id', id);

/** A request each of these routes accepts from a role allowed to call it (null: not one of them). */
export function childrenSampleCall(key: RouteKey, r: Omit<ChildRecords, 'other'>): Call | null {
  switch (key) {
    case 'childrenReviewDecide':
      return { path: at(key, r.reviewId), body: { decision: 'confirm', reason: '核对学籍后确认是同一个孩子', survivorId: null } };
    case 'childrenMerge':
      return { path: routes[key].path, body: { survivorId: r.survivorId, mergedId: r.mergedId, reason: '同一个孩子的两条记录' } };
    case 'childrenSplit':
      return { path: at(key, r.mergeId), body: { reason: '核实后不是同一个孩子' } };
    case 'childrenMerges':
      return { path: at(key, r.childId) };
    default:
      return null;
  }
}

/** The same routes aimed at the other county's records: not found. */
export function childrenOutOfScopeCall(key: RouteKey, r: ChildRecords): { call: Call; status: number } | null {
  switch (key) {
    case 'childrenReviewDecide':
    case 'childrenMerge':
    case 'childrenSplit':
    case 'childrenMerges':
      return { call: childrenSampleCall(key, r.other)!, status: 404 };
    default:
      return null;
  }
}
