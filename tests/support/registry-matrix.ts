import { routes, type CrosscheckRunView, type ReviewPairView, type RouteKey } from '@baoxue/shared';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import type { ApiClient } from './api';
import { OTHER_COUNTY } from './factories';
import { DEMO_SCHOOL, idNumberFor } from './pupils';
import { csv, HOUSEHOLD_HEADER, importRegistry, ROSTER_HEADER } from './registry';
import type { TestServer } from './server';
import { WUMING } from './tips';

/**
 * Records for the access matrix's registry, cross-check and statistics routes: an import, a run
 * and a pair to review in the demo county, and the same in the other county for the
 * out-of-scope calls. Both are made the way a county admin makes them, through the API.
 */
export interface RegistryRecords {
  importId: string;
  runId: string;
  reviewId: string;
  other: { importId: string; runId: string; reviewId: string };
}

const SCHOOL_YEAR = 2026;

/** A child on the household list and a pupil one character apart, same birth date and village: a review pair. */
async function seedCounty(
  server: TestServer,
  admin: ApiClient,
  place: { village: string; school: string },
  names: [string, string],
): Promise<{ importId: string; runId: string; reviewId: string }> {
  const household = await importRegistry(
    server,
    admin,
    'household',
    csv(HOUSEHOLD_HEADER, [[idNumberFor('2015-06-01'), names[0], place.village, '', '']]),
    'household.csv',
  );
  const pupilId = idNumberFor('2015-06-01');
  const roster = await importRegistry(
    server,
    admin,
    'roster',
    csv(ROSTER_HEADER, [[`G${pupilId}`, names[1], '男', pupilId, place.school, '5', '1', '否', place.village, '', '', '']]),
    'roster.csv',
  );
  if (household.status !== 'completed' || roster.status !== 'completed') {
    throw new Error(`matrix registry import failed: ${JSON.stringify([household.errors, roster.errors])}`);
  }
  const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: SCHOOL_YEAR });
  await server.app.get(CrosscheckService).settled(started.body.id);
  const reviews = await admin.get<{ items: ReviewPairView[] }>('/crosscheck/reviews');
  const review = reviews.body.items.find((r) => r.runId === started.body.id);
  if (!review) throw new Error(`matrix cross-check made no review pair: ${JSON.stringify(reviews.body)}`);
  return { importId: household.id, runId: started.body.id, reviewId: review.id };
}

export async function seedRegistryRecords(
  server: TestServer,
  clients: { county: ApiClient; otherCounty: ApiClient },
  otherSchoolName: string,
): Promise<RegistryRecords> {
  const own = await seedCounty(server, clients.county, { village: WUMING, school: DEMO_SCHOOL }, ['矩阵户籍', '矩阵户箱']);
  const other = await seedCounty(server, clients.otherCounty, { village: OTHER_COUNTY.village, school: otherSchoolName }, [
    '别县户籍',
    '别县户箱',
  ]);
  return { ...own, other };
}

interface Call {
  path: string;
  body?: Record<string, unknown> | FormData;
}

const at = (key: RouteKey, id: string) => routes[key].path.replace(':id', id);

/** A request each of these routes accepts from a role allowed to call it (null: not one of them). */
export function registrySampleCall(key: RouteKey, r: RegistryRecords): Call | null {
  switch (key) {
    case 'registryTemplate':
      return { path: routes[key].path.replace(':kind', 'roster') };
    case 'registryImport': {
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(csv(HOUSEHOLD_HEADER, [[idNumberFor('2016-03-03'), '矩阵导入', WUMING, '', '']]))]),
        'h.csv',
      );
      return { path: `${routes[key].path}?kind=household`, body: form };
    }
    case 'registryImportGet':
      return { path: at(key, r.importId) };
    case 'crosscheckStart':
      return { path: routes[key].path, body: { schoolYear: SCHOOL_YEAR } };
    case 'crosscheckRunGet':
      return { path: at(key, r.runId) };
    case 'crosscheckDecide':
      return { path: at(key, r.reviewId), body: { decision: 'same' } };
    case 'statsDropout':
    case 'statsExport':
    case 'regionOverview':
      return { path: `${routes[key].path}?schoolYear=${SCHOOL_YEAR}` };
    default:
      return null;
  }
}

/** The same routes aimed at the other county's records: not found; its statistics: refused. */
export function registryOutOfScopeCall(key: RouteKey, r: RegistryRecords): { call: Call; status: number } | null {
  switch (key) {
    case 'registryImportGet':
      return { call: { path: at(key, r.other.importId) }, status: 404 };
    case 'crosscheckRunGet':
      return { call: { path: at(key, r.other.runId) }, status: 404 };
    case 'crosscheckDecide':
      return { call: { path: at(key, r.other.reviewId), body: { decision: 'different' } }, status: 404 };
    case 'statsDropout':
    case 'statsExport':
      return { call: { path: `${routes[key].path}?schoolYear=${SCHOOL_YEAR}&under=${OTHER_COUNTY.code}` }, status: 403 };
    default:
      return null;
  }
}
