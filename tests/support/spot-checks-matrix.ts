import { addDays, chinaDay, routes, type RouteKey } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { Rectification, SpotCheck, SpotCheckItem } from '../../server/src/modules/spot-checks/spot-check.entities';
import { OTHER_COUNTY } from './factories';
import { DEMO_COUNTY } from './pupils';
import type { TestServer } from './server';
import { SHILI, WUMING, ZHAIHE } from './tips';

/**
 * Records for the access matrix's 督导 routes. The county's draw is made by the sample itself (its
 * key replayed); a stored draw of the demo county holds one sampled case for the finding sample, and
 * two 整改 items of 十里镇 wait — one open for the township to report, one reported for the county to
 * review. Out of scope: a draw, its case and a 整改 item of the other county, and a 整改 item of 寨河镇.
 */
export interface SpotCheckRecords {
  from: string;
  to: string;
  drawKey: string;
  spotCheckId: string;
  itemId: string;
  today: string;
  openRectificationId: string;
  reportedRectificationId: string;
  otherSpotCheckId: string;
  otherItemId: string;
  otherRectificationId: string;
  zhaiheRectificationId: string;
}

type Call = { path: string; body?: Record<string, unknown> };

export async function seedSpotCheckRecords(server: TestServer, caseId: string): Promise<SpotCheckRecords> {
  const manager = server.dataSource.manager;
  const now = server.clock.now();
  const today = chinaDay(now);
  const admin = await manager.findOneByOrFail(User, { demoAccount: 'county-admin' });
  const draw = (countyCode: string, townshipCode: string, villageCode: string) => {
    const id = newId();
    const itemId = newId();
    return {
      check: {
        id,
        countyCode,
        from: addDays(today, -30),
        to: today,
        seed: 42,
        townships: [{ townshipCode, size: 1, share: null, population: 1, drawn: 1 }],
        itemCount: 1,
        createdBy: admin.id,
        createdAt: now,
        idempotencyKey: newId(),
      },
      item: {
        id: itemId,
        spotCheckId: id,
        position: 0,
        caseId,
        caseNumber: '矩阵抽查案件',
        childId: newId(),
        countyCode,
        townshipCode,
        villageCode,
        schoolId: null,
        grade: 4,
        closedAt: new Date(now.getTime() - 24 * 3_600_000),
        result: null,
        note: null,
        checkedOn: null,
        inspectedBy: null,
        inspectorUnit: null,
        recordedAt: null,
        reopened: false,
      },
    };
  };
  const own = draw(DEMO_COUNTY, SHILI, WUMING);
  const other = draw(OTHER_COUNTY.code, OTHER_COUNTY.township, OTHER_COUNTY.village);
  const rectification = (countyCode: string, townshipCode: string, status: 'open' | 'reported') => ({
    id: newId(),
    spotCheckId: own.check.id,
    itemId: newId(),
    caseId,
    caseNumber: '矩阵抽查案件',
    countyCode,
    townshipCode,
    schoolId: null,
    result: 'record_mismatch' as const,
    problem: '在校，但记录与实际不符：矩阵',
    deadlineOn: addDays(today, 15),
    status,
    reportNote: status === 'reported' ? '已整改' : null,
    reportedBy: null,
    reportedAt: status === 'reported' ? now : null,
    reviewNote: null,
    reviewedBy: null,
    reviewedAt: null,
    returns: 0,
    createdAt: now,
    version: 1,
  });
  const rows = [
    rectification(DEMO_COUNTY, SHILI, 'open'),
    rectification(DEMO_COUNTY, SHILI, 'reported'),
    rectification(OTHER_COUNTY.code, OTHER_COUNTY.township, 'reported'),
    rectification(DEMO_COUNTY, ZHAIHE, 'open'),
  ];
  // the ids as made here: TypeORM's multi-row insert may write re-read keys back into the objects out of order
  const records: SpotCheckRecords = {
    from: addDays(today, -60),
    to: today,
    drawKey: '0193a5f0-0000-7000-8000-00000000d001',
    spotCheckId: own.check.id,
    itemId: own.item.id,
    today,
    openRectificationId: rows[0]!.id,
    reportedRectificationId: rows[1]!.id,
    otherSpotCheckId: other.check.id,
    otherItemId: other.item.id,
    otherRectificationId: rows[2]!.id,
    zhaiheRectificationId: rows[3]!.id,
  };
  // one row a statement, in a transaction of its own (on SQLite it waits for any other to end)
  await server.dataSource.transaction(async (tx) => {
    for (const row of [own.check, other.check]) await tx.insert(SpotCheck, row);
    for (const row of [own.item, other.item]) await tx.insert(SpotCheckItem, row);
    for (const row of rows) await tx.insert(Rectification, row);
  });
  return records;
}

const at = (key: RouteKey, params: Record<string, string>) => routes[key].path.replace(/:(\w+)/g, (_, name: string) => params[name]!);

export function spotCheckSampleCall(key: RouteKey, r: SpotCheckRecords): Call | null {
  switch (key) {
    case 'spotChecksDraw':
      return {
        path: at(key, {}),
        body: { from: r.from, to: r.to, townships: [{ townshipCode: SHILI, share: 100 }], seed: 7, idempotencyKey: r.drawKey },
      };
    case 'spotChecksList':
    case 'rectificationsList':
      return { path: at(key, {}) };
    case 'spotChecksGet':
    case 'spotChecksExport':
      return { path: at(key, { id: r.spotCheckId }) };
    case 'spotChecksRecordFinding':
      return {
        path: at(key, { id: r.spotCheckId, itemId: r.itemId }),
        body: { result: 'attending', note: '到校核查，孩子在班上课', checkedOn: r.today },
      };
    case 'rectificationsReport':
      return { path: at(key, { id: r.openRectificationId }), body: { note: '已家访并补录出勤记录', version: 1 } };
    case 'rectificationsReview':
      return { path: at(key, { id: r.reportedRectificationId }), body: { decision: 'accept', version: 1 } };
    default:
      return null;
  }
}

/** The routes aimed at the other county's draw or 整改 item: not found. */
export function spotCheckOutOfScopeCall(
  key: RouteKey,
  r: SpotCheckRecords,
): { call: Call; status: number; as?: 'township-cadre' | 'county-admin' } | null {
  const sample = spotCheckSampleCall(key, r);
  switch (key) {
    case 'spotChecksGet':
    case 'spotChecksExport':
      return { call: { path: at(key, { id: r.otherSpotCheckId }) }, status: 404 };
    case 'spotChecksRecordFinding':
      return { call: { path: at(key, { id: r.otherSpotCheckId, itemId: r.otherItemId }), body: sample!.body }, status: 404 };
    case 'rectificationsReport':
      return { call: { path: at(key, { id: r.otherRectificationId }), body: sample!.body }, status: 404, as: 'township-cadre' };
    case 'rectificationsReview':
      return { call: { path: at(key, { id: r.otherRectificationId }), body: sample!.body }, status: 404 };
    default:
      return null;
  }
}

/** Another township's 整改 item of the same county: not found for 十里镇's officials. */
export function spotCheckSameCountyCalls(key: RouteKey, account: string, r: SpotCheckRecords): Call[] {
  if (key !== 'rectificationsReport' || account !== 'township-cadre') return [];
  return [{ path: at(key, { id: r.zhaiheRectificationId }), body: spotCheckSampleCall(key, r)!.body }];
}
