import { contract, routes, type RouteKey, type RouteSchemas } from '@baoxue/shared';
import { RouteRegistry, type RegisteredRoute } from '../../../server/src/common/http/route-registry';
import { SessionsService } from '../../../server/src/modules/auth/sessions.service';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { AuditEntry } from '../../../server/src/modules/audit/audit-entry.entity';
import { api, expectError, signInAs, type ApiClient, type ApiResponse } from '../../support/api';
import { ChildGuardian } from '../../../server/src/modules/children/child-guardian.entity';
import { Child } from '../../../server/src/modules/children/child.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { clientFor, createUser, OTHER_COUNTY } from '../../support/factories';
import { childrenOutOfScopeCall } from '../../support/children-matrix';
import { parentOutOfScopeCall } from '../../support/parents-matrix';
import { registryOutOfScopeCall } from '../../support/registry-matrix';
import {
  OWN_COUNTY_CALENDAR_ROUTES,
  SCHOOL_LINE_ROWS,
  schoolLineOutOfScopeCall,
  schoolLineSameCountyCalls,
} from '../../support/school-line-matrix';
import {
  SAME_COUNTY_ACCOUNTS,
  SAME_COUNTY_ROWS,
  sameCountyOutOfScopeCalls,
  seedSameCountyRecords,
  type SameCountyRecords,
} from '../../support/same-county-matrix';
import {
  ACCOUNTS,
  refusalReason,
  refusedByService,
  ROLE_OF,
  sampleCall as sampleOf,
  type Account,
  seedSampleContext,
  type Call,
  type SampleContext,
} from '../../support/sample-calls';
import { startTestServer, type TestServer } from '../../support/server';
import { spotCheckOutOfScopeCall, spotCheckSameCountyCalls } from '../../support/spot-checks-matrix';
import { reportOutOfScopeCall, reportSameCountyCalls } from '../../support/reports-matrix';

/**
 * Every endpoint × every role × in and out of scope. The table of expectations must name exactly
 * the routes the server registers, so a new endpoint fails this test until its access is decided.
 */
type Expected = 'public' | 'signed-in' | ReadonlyArray<'parent' | 'supervisor' | 'official' | 'county_admin' | 'region_admin'>;

const EXPECTED: Record<RouteKey, Expected> = {
  health: 'public',
  authOptions: 'public',
  authWechatLogin: 'public',
  authDevLogin: 'public',
  authLogout: 'signed-in',
  authDesktopCode: 'signed-in',
  authDesktopLogin: 'public',
  me: 'signed-in',
  meUpdateProfile: 'signed-in',
  mePrivacyConsent: 'signed-in',
  invitationsCreate: ['county_admin', 'region_admin'],
  invitationsList: ['county_admin', 'region_admin'],
  invitationsRevoke: ['county_admin', 'region_admin'],
  invitationsRedeem: 'signed-in',
  divisionsServed: 'signed-in',
  divisionsSearch: 'signed-in',
  divisionsGet: 'signed-in',
  divisionsChildren: 'signed-in',
  divisionsImport: ['county_admin'],
  schoolsList: 'signed-in',
  schoolsGet: 'signed-in',
  schoolsCreate: ['county_admin'],
  schoolsUpdate: ['county_admin'],
  tipsCreate: ['supervisor'],
  tipsMine: ['supervisor'],
  tipsGet: ['supervisor'],
  tipsReveal: ['official', 'county_admin'],
  tipsSplit: ['official', 'county_admin'],
  uploadsCreate: ['supervisor', 'parent', 'official'],
  uploadsFile: 'public',
  casesList: ['official', 'county_admin'],
  casesTriage: ['county_admin'],
  casesGet: ['official', 'county_admin'],
  casesAssignees: ['official', 'county_admin'],
  casesAccept: ['official', 'county_admin'],
  casesRoute: ['county_admin'],
  casesReturnToTriage: ['official'],
  casesMerge: ['official', 'county_admin'],
  casesLedger: ['official', 'county_admin'],
  casesTransition: ['official', 'county_admin'],
  casesLogVisit: ['official', 'county_admin'],
  casesSetCauses: ['official', 'county_admin'],
  casesSetAssignee: ['official', 'county_admin'],
  casesConfirmEnrolment: ['official'],
  casesAttendance: ['official', 'county_admin'],
  casesRecordAttendance: ['official', 'county_admin'],
  casesTransfer: ['official', 'county_admin'],
  transfersIncoming: ['official'],
  transfersAccept: ['official'],
  transfersReject: ['official'],
  noticesPaperDelivery: ['official', 'county_admin'],
  noticesMine: 'signed-in',
  noticesAcknowledge: 'signed-in',
  rechecksComplete: ['official', 'county_admin'],
  dispatchList: ['official', 'county_admin'],
  dashboard: ['official', 'county_admin'],
  countySettingsGet: ['official', 'county_admin'],
  countySettingsUpdate: ['county_admin'],
  childrenBind: ['parent'],
  childrenMine: ['parent'],
  childrenUnbind: ['parent'],
  childrenGuardians: ['official', 'county_admin'],
  childrenSubsidies: ['parent', 'official', 'county_admin'],
  childrenAccessHistory: ['parent'],
  childrenReviews: ['official', 'county_admin'],
  childrenReviewDecide: ['official', 'county_admin'],
  childrenMerge: ['official', 'county_admin'],
  childrenSplit: ['official', 'county_admin'],
  childrenMerges: ['official', 'county_admin'],
  enrolmentIssue: ['official', 'county_admin'],
  enrolmentBatches: ['official', 'county_admin'],
  enrolmentBatchPdf: ['official', 'county_admin'],
  enrolmentRemind: ['official', 'county_admin'],
  enrolmentFollowUp: ['official', 'county_admin'],
  enrolmentMine: ['parent'],
  enrolmentGet: ['parent', 'official', 'county_admin'],
  enrolmentPdf: ['parent', 'official', 'county_admin'],
  enrolmentAcknowledge: ['parent'],
  deferralsApply: ['parent'],
  deferralsList: ['official', 'county_admin'],
  deferralsDecide: ['official', 'county_admin'],
  schoolNoticesSend: ['official'],
  schoolNoticesList: ['official', 'county_admin'],
  schoolNoticesMine: ['parent'],
  schoolNoticesGet: ['official', 'county_admin'],
  schoolNoticesRead: ['parent'],
  subsidyPolicies: ['official', 'county_admin'],
  subsidyPoliciesCreate: ['county_admin'],
  subsidyPoliciesEnd: ['county_admin'],
  eligibilityList: ['county_admin'],
  eligibilitySet: ['county_admin'],
  eligibilityRevoke: ['county_admin'],
  eligibilityTemplate: ['county_admin'],
  eligibilityImport: ['county_admin'],
  paymentsList: ['county_admin'],
  paymentsTemplate: ['county_admin'],
  paymentsImport: ['county_admin'],
  complaintsCreate: ['parent'],
  complaintsMine: ['parent'],
  complaintsList: ['county_admin'],
  complaintsGet: ['parent', 'county_admin'],
  complaintsTransition: ['parent', 'county_admin'],
  messagesList: 'signed-in',
  messagesRead: 'signed-in',
  messagesReadAll: 'signed-in',
  subscriptionsGet: 'signed-in',
  subscriptionsRecord: 'signed-in',
  accountsList: ['county_admin'],
  accountsUpdate: ['county_admin'],
  registryTemplate: ['county_admin'],
  registryImport: ['county_admin'],
  registryImports: ['county_admin'],
  registryImportGet: ['county_admin'],
  crosscheckStart: ['county_admin'],
  crosscheckRuns: ['county_admin'],
  crosscheckRunGet: ['county_admin'],
  crosscheckReviews: ['county_admin'],
  crosscheckDecide: ['county_admin'],
  statsDropout: ['official', 'county_admin', 'region_admin'],
  statsExport: ['official', 'county_admin', 'region_admin'],
  regionOverview: ['region_admin'],
  scorecards: ['official', 'county_admin', 'region_admin'],
  dataQuality: ['official', 'county_admin'],
  circularsPublish: ['county_admin'],
  circularsList: ['county_admin'],
  circularsMine: ['official', 'county_admin'],
  circularsGet: ['official', 'county_admin'],
  circularsPdf: ['official', 'county_admin'],
  spotChecksDraw: ['county_admin'],
  spotChecksList: ['county_admin', 'region_admin'],
  spotChecksGet: ['county_admin', 'region_admin'],
  spotChecksExport: ['county_admin', 'region_admin'],
  spotChecksRecordFinding: ['county_admin', 'region_admin'],
  rectificationsList: ['official', 'county_admin'],
  rectificationsReport: ['official'],
  rectificationsReview: ['county_admin'],
  statsIntakes: ['county_admin'],
  statsIntakeSet: ['county_admin'],
  auditList: ['official', 'county_admin'],
  auditExport: ['official', 'county_admin'],
  calendarGet: ['official', 'county_admin', 'supervisor'],
  calendarSetTerms: ['county_admin'],
  calendarSetDay: ['county_admin'],
  calendarResetDay: ['county_admin'],
  classesList: ['official'],
  classesStaff: ['official'],
  classesSetTeachers: ['official'],
  rollCallsSheet: ['official'],
  rollCallsSubmit: ['official'],
  rollCallsWeek: ['official'],
  absenceAlertsList: ['official'],
  pupilsFollowUp: ['official'],
  pupilsFamilyContact: ['official'],
  pupilsReport: ['official'],
  leaveCreate: ['parent'],
  leaveMine: ['parent'],
  leaveWithdraw: ['parent'],
  leaveList: ['official'],
  leaveDecide: ['official'],
  pupilChangesCreate: ['official'],
  pupilChangesList: ['official', 'county_admin'],
  pupilChangesConfirm: ['official'],
  pupilChangesDecide: ['county_admin'],
  reportsMine: ['official', 'county_admin', 'region_admin'],
  reportsList: ['official', 'county_admin', 'region_admin'],
  reportsOpen: ['official', 'county_admin'],
  reportsGet: ['official', 'county_admin', 'region_admin'],
  reportsUpdate: ['official', 'county_admin'],
  reportsSubmit: ['official', 'county_admin'],
  reportsApprove: ['official', 'county_admin', 'region_admin'],
  reportsReturn: ['official', 'county_admin', 'region_admin'],
  reportsReopen: ['official', 'county_admin', 'region_admin'],
  reportsExport: ['official', 'county_admin', 'region_admin'],
};

/** The sample of the shared table, or the bare path for a route that needs nothing more. */
function sampleCall(key: RouteKey, ctx: SampleContext): Call {
  return sampleOf(key, ctx) ?? { path: routes[key].path };
}

/** The same route aimed at a record of another county (or person): reads as not found, writes are refused. */
function outOfScopeCall(key: RouteKey, ctx: SampleContext): { call: Call; status: number; as?: (typeof ACCOUNTS)[number] } | null {
  switch (key) {
    case 'tipsGet':
      return { call: { path: `/tips/${ctx.otherTipId}` }, status: 404, as: 'supervisor' };
    case 'tipsReveal':
      return { call: { path: `/tips/${ctx.otherTipId}/reveal`, body: { reason: '需要向提供人核实' } }, status: 404 };
    case 'tipsSplit':
      return { call: { path: `/tips/${ctx.otherTipId}/split`, body: { reason: '不是同一个孩子' } }, status: 404 };
    case 'casesGet':
    case 'casesAssignees':
      return { call: { path: routes[key].path.replace(':id', ctx.otherCaseId) }, status: 404 };
    case 'casesAccept':
      return { call: { path: `/cases/${ctx.otherCaseId}/accept`, body: {} }, status: 404 };
    case 'casesRoute':
      return {
        call: { path: `/cases/${ctx.otherCaseId}/route`, body: { townshipCode: OTHER_COUNTY.township, reason: '别县案件' } },
        status: 404,
      };
    case 'casesReturnToTriage':
      return {
        call: { path: `/cases/${ctx.otherCaseId}/return-to-triage`, body: { reason: '孩子不住在本乡镇' } },
        status: 404,
        as: 'township-cadre',
      };
    case 'casesMerge':
      return {
        call: { path: `/cases/${ctx.otherCaseId}/merge`, body: { intoCaseId: ctx.mergeIntoCaseId, reason: '同一个孩子' } },
        status: 404,
      };
    case 'messagesRead':
      return { call: { path: `/messages/${ctx.messageId}/read` }, status: 404, as: 'county-admin' };
    case 'circularsGet':
    case 'circularsPdf':
      return { call: { path: routes[key].path.replace(':id', ctx.otherCircularId) }, status: 404 };
    case 'casesTransition':
    case 'casesLogVisit':
    case 'casesSetCauses':
    case 'casesSetAssignee':
    case 'casesTransfer':
    case 'casesRecordAttendance':
    case 'casesAttendance':
      return { call: { path: routes[key].path.replace(':id', ctx.otherCaseId), body: sampleCall(key, ctx).body }, status: 404 };
    case 'casesConfirmEnrolment':
      return { call: { path: `/cases/${ctx.otherCaseId}/confirm-enrolment` }, status: 404, as: 'school-staff' };
    case 'transfersAccept':
    case 'transfersReject':
      return {
        call: { path: routes[key].path.replace(':id', ctx.otherCaseId), body: sampleCall(key, ctx).body },
        status: 404,
        as: 'township-cadre',
      };
    case 'noticesPaperDelivery':
      return { call: { path: `/case-notices/${ctx.otherCaseId}/paper-delivery`, body: sampleCall(key, ctx).body }, status: 404 };
    case 'noticesAcknowledge':
      return { call: { path: `/notices/${ctx.otherCaseId}/acknowledge` }, status: 404, as: 'parent' };
    case 'rechecksComplete':
      return { call: { path: `/rechecks/${ctx.otherCaseId}`, body: { result: 'attending' } }, status: 404 };
    case 'uploadsFile':
      return {
        call: { path: `/uploads/${ctx.otherCaseId}/file?expires=9999999999&signature=${'A'.repeat(43)}` },
        status: 403,
        as: 'parent',
      };
    case 'invitationsRevoke':
      return { call: { path: `/invitations/${ctx.otherInvitationId}/revoke` }, status: 404 };
    case 'schoolsUpdate':
      return { call: { path: `/schools/${ctx.otherSchoolId}`, body: { address: '别县' } }, status: 404 };
    case 'accountsUpdate':
      return { call: { path: `/accounts/${ctx.otherAccountId}`, body: { disabled: true } }, status: 404 };
    case 'schoolsCreate':
      return {
        call: { path: '/schools', body: { name: '罗山县周党镇测试小学', stage: 'primary', divisionCode: OTHER_COUNTY.township } },
        status: 403,
      };
    case 'invitationsCreate':
      return {
        call: { path: '/invitations', body: { role: 'supervisor', unit: { kind: 'division', code: OTHER_COUNTY.village } } },
        status: 403,
      };
    case 'divisionsImport': {
      const form = new FormData();
      form.append(
        'file',
        new Blob([`code,name,level,parent_code\n${OTHER_COUNTY.village},周党村民委员会,village,${OTHER_COUNTY.township}\n`]),
        'd.csv',
      );
      return { call: { path: '/divisions/import', body: form }, status: 422 };
    }
    default:
      return (
        parentOutOfScopeCall(key, ctx.parents) ??
        registryOutOfScopeCall(key, ctx.registry) ??
        childrenOutOfScopeCall(key, ctx.children) ??
        schoolLineOutOfScopeCall(key, ctx.schoolLine) ??
        spotCheckOutOfScopeCall(key, ctx.spotChecks) ??
        reportOutOfScopeCall(key, ctx.reports)
      );
  }
}

/** Routes whose path names a record; each must have an out-of-scope case above (or be public data). */
const PUBLIC_DATA_ROUTES: ReadonlySet<RouteKey> = new Set(['divisionsGet', 'divisionsChildren', 'schoolsGet', 'registryTemplate']);

/** Routes whose path names a school year of the caller's own county (its grade-1 intake): nothing of another's to reach. */
const OWN_COUNTY_YEAR_ROUTES: ReadonlySet<RouteKey> = new Set(['statsIntakeSet']);

/** Routes only a region admin (not among the matrix's demo accounts) may call: its own test proves them. */
const REGION_ONLY: ReadonlySet<RouteKey> = new Set(
  (Object.keys(EXPECTED) as RouteKey[]).filter(
    (key) => Array.isArray(EXPECTED[key]) && (EXPECTED[key] as readonly string[]).join() === 'region_admin',
  ),
);

/** Routes on the caller's own records (their messages): another's is covered above for the other county. */
// a 通报 goes to every township leader and school of its county: no unit of the county lacks it (the other county's is covered above)
const OWN_RECORDS_ONLY: ReadonlySet<RouteKey> = new Set(['messagesRead', 'circularsGet', 'circularsPdf']);

/**
 * Routes whose sample no role can complete in this matrix, and why; every other route must answer
 * at least one role in scope with a 2xx and the body its contract names.
 */
const NO_SUCCESSFUL_SAMPLE: Partial<Record<RouteKey, string>> = {
  invitationsRedeem: 'a real code would change the caller’s role for the rest of the matrix (invitations.test.ts redeems one)',
};

/** A 2xx answer is the body the route's contract names (or its file type), about the record the path names. */
function bodyProblem(key: RouteKey, call: Call, response: ApiResponse): string | null {
  const schemas: RouteSchemas = contract[key];
  if (schemas.binary) {
    const type = response.headers.get('content-type') ?? '';
    return type.startsWith(schemas.binary) ? null : `answered ${type}, expected ${schemas.binary}`;
  }
  const parsed = schemas.response.safeParse(response.body);
  if (!parsed.success) return `body breaks the contract: ${JSON.stringify(parsed.error.issues).slice(0, 300)}`;
  const pathId = /:id\b/.test(routes[key].path) ? call.path.split('?')[0]!.split('/')[routes[key].path.split('/').indexOf(':id')] : null;
  const body = response.body as { id?: unknown } | null;
  if (pathId && RETURNS_ITS_RECORD.has(key) && body?.id !== pathId) return `answered record ${String(body?.id)}, expected ${pathId}`;
  return null;
}

/** Routes answering with the record their path names (its id in the body's `id`). */
const RETURNS_ITS_RECORD: ReadonlySet<RouteKey> = new Set<RouteKey>([
  'schoolsGet',
  'schoolsUpdate',
  'accountsUpdate',
  'tipsGet',
  'casesGet',
  'casesAccept',
  'casesRoute',
  'casesTransition',
  'casesLogVisit',
  'casesSetCauses',
  'casesSetAssignee',
  'casesConfirmEnrolment',
  'enrolmentGet',
  'schoolNoticesGet',
  'circularsGet',
  'complaintsGet',
  'complaintsTransition',
  'deferralsDecide',
  'registryImportGet',
  'crosscheckRunGet',
  'subsidyPoliciesEnd',
  'leaveWithdraw',
  'leaveDecide',
  'pupilChangesConfirm',
  'pupilChangesDecide',
]);

/** An 18-character ID number in full; responses carry them masked (411522********1238). */
const FULL_ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

/** Routes that read one child's record, and the audit action each leaves (who, when, which record). */
const CHILD_RECORD_READS: Partial<Record<RouteKey, string>> = {
  casesGet: 'case.read',
  childrenGuardians: 'child.guardians.read',
  childrenSubsidies: 'child.subsidies.read',
  childrenMerges: 'child.merges.read',
  enrolmentGet: 'enrolment.notice.read',
  enrolmentPdf: 'enrolment.notice.pdf',
  casesLedger: 'ledger.export',
  tipsReveal: 'tip.reveal_tipster',
};

function send(client: ApiClient, route: RegisteredRoute, call: Call): Promise<ApiResponse> {
  return client.request(route.method, call.path, call.body ?? (route.method === 'GET' ? undefined : {}));
}

// Each test walks every route for every role: seconds on a quiet machine, more on a loaded one.
jest.setTimeout(120_000);

describe('access matrix', () => {
  let server: TestServer;
  let registered: readonly RegisteredRoute[];
  let clients: Record<(typeof ACCOUNTS)[number], ApiClient>;
  let ctx: SampleContext;
  let sameCounty: SameCountyRecords;

  beforeAll(async () => {
    server = await startTestServer();
    registered = server.app.get(RouteRegistry).list();
    ({ clients, ctx } = await seedSampleContext(server));
    sameCounty = await seedSameCountyRecords(server, clients['county-admin']);
  }, 60_000);
  afterAll(async () => server?.close());

  it('names exactly the routes the server registers, with the access each declares', () => {
    const declared = Object.fromEntries(
      registered.map((r) => [r.key, r.access.kind === 'roles' ? [...r.access.roles].sort() : r.access.kind]),
    );
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v]));
    expect(declared).toEqual(expected);
    // and the server implements every route of the shared table
    expect(registered.map((r) => r.key).sort()).toEqual(Object.keys(routes).sort());
  });

  it('refuses every non-public route without a token, with a forged, an expired or a revoked token', async () => {
    const sessions = server.app.get(SessionsService);
    const parent = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'parent' });
    const expired = await sessions.issue(parent.id);
    const revoked = await sessions.issue(parent.id);
    await api(server, revoked.token).post('/auth/logout');
    server.clock.advance(8 * 24 * 3_600_000); // beyond the 7-day session lifetime
    try {
      for (const route of registered.filter((r) => r.access.kind !== 'public')) {
        const call = sampleCall(route.key, ctx);
        expectError(await send(api(server), route, call), 401, 'UNAUTHENTICATED');
        expectError(await send(api(server, 'bx1_forgedforgedforgedforgedforgedforgedforg'), route, call), 401, 'SESSION_EXPIRED');
        expectError(await send(api(server, 'not-even-our-format'), route, call), 401, 'SESSION_EXPIRED');
        expectError(await send(api(server, expired.token), route, call), 401, 'SESSION_EXPIRED');
        expectError(await send(api(server, revoked.token), route, call), 401, 'SESSION_EXPIRED');
      }
    } finally {
      server.clock.advance(-8 * 24 * 3_600_000);
    }
  });

  it('lets each role call exactly the routes its role may call, answering with the body the contract names', async () => {
    const wrong: string[] = [];
    const succeeded = new Set<RouteKey>();
    for (const route of registered) {
      const expected = EXPECTED[route.key];
      if (expected === 'public' || route.key === 'authLogout') continue;
      for (const account of ACCOUNTS) {
        const call = sampleCall(route.key, ctx);
        const response = await send(clients[account], route, call);
        const { status, body } = response;
        if (typeof body === 'object' && FULL_ID_NUMBER.test(JSON.stringify(body)))
          wrong.push(`${route.key} as ${account}: an unmasked ID number`);
        const allowed = expected === 'signed-in' || expected.includes(ROLE_OF[account] as never);
        const refusedByRule = refusedByService(route.key, account, ctx);
        if (!allowed && status !== 403) wrong.push(`${route.key} as ${account}: ${status}, expected 403`);
        if (allowed && !refusedByRule && (status === 401 || status === 403 || status >= 500))
          wrong.push(`${route.key} as ${account}: ${status}`);
        if (status >= 200 && status < 300) {
          succeeded.add(route.key);
          const problem = bodyProblem(route.key, call, response);
          if (problem) wrong.push(`${route.key} as ${account}: ${problem}`);
        }
        if (refusedByRule && status !== 403) wrong.push(`${route.key} as ${account}: ${status}, expected 403`);
        const reason = status === 403 ? refusalReason(route.key, account) : null;
        if (reason && (body as { message?: string }).message !== reason)
          wrong.push(
            `${route.key} as ${account}: refused with “${(body as { message?: string }).message}”, expected the policy's “${reason}”`,
          );
      }
    }
    // every route's sample succeeds for at least one role in scope, so "allowed" is a 2xx, not merely "not refused"
    const neverSucceeded = registered
      .map((r) => r.key)
      .filter(
        (key) =>
          EXPECTED[key] !== 'public' &&
          key !== 'authLogout' &&
          !succeeded.has(key) &&
          !(key in NO_SUCCESSFUL_SAMPLE) &&
          !REGION_ONLY.has(key),
      );
    // and a route listed there that now succeeds leaves the list
    const listedButSucceeded = Object.keys(NO_SUCCESSFUL_SAMPLE).filter((key) => succeeded.has(key as RouteKey));
    expect({ wrong, neverSucceeded, listedButSucceeded }).toEqual({ wrong: [], neverSucceeded: [], listedButSucceeded: [] });
  }, 60_000);

  it('answers requests for another county’s records as not found, and refuses writes into it', async () => {
    const idRoutes = registered.filter(
      (r) =>
        /:\w+/.test(r.path) &&
        !PUBLIC_DATA_ROUTES.has(r.key) &&
        !OWN_COUNTY_CALENDAR_ROUTES.has(r.key) &&
        !OWN_COUNTY_YEAR_ROUTES.has(r.key),
    );
    for (const route of idRoutes)
      expect({ route: route.key, covered: outOfScopeCall(route.key, ctx) !== null }).toEqual({ route: route.key, covered: true });
    for (const route of registered) {
      const outside = outOfScopeCall(route.key, ctx);
      if (!outside) continue;
      const response = await send(clients[outside.as ?? 'county-admin'], route, outside.call);
      expect({ route: route.key, status: response.status }).toEqual({ route: route.key, status: outside.status });
    }
  });

  it('answers requests for records of another township, school, family or supervisor of the same county as not found, leaving no trace', async () => {
    const allowedAs = (key: RouteKey, account: Account) => {
      const expected = EXPECTED[key];
      return expected === 'signed-in' || (expected !== 'public' && expected.includes(ROLE_OF[account] as never));
    };
    const refusedByRule = (key: RouteKey, account: Account) => refusedByService(key, account, ctx);
    // every route naming a record is covered for every account below the county admin that may call it
    const uncovered: string[] = [];
    const outOfScope = (key: RouteKey, account: (typeof SAME_COUNTY_ACCOUNTS)[number], sample: Call['body']) => [
      ...sameCountyOutOfScopeCalls(key, account, sameCounty, sample, ctx.mergeIntoCaseId),
      ...schoolLineSameCountyCalls(key, account, ctx.schoolLine, sample),
      ...spotCheckSameCountyCalls(key, account, ctx.spotChecks),
      ...reportSameCountyCalls(key, account, ctx.reports),
    ];
    for (const route of registered.filter(
      (r) =>
        /:\w+/.test(r.path) &&
        !PUBLIC_DATA_ROUTES.has(r.key) &&
        !OWN_COUNTY_CALENDAR_ROUTES.has(r.key) &&
        !OWN_COUNTY_YEAR_ROUTES.has(r.key) &&
        r.access.kind !== 'public',
    ))
      for (const account of SAME_COUNTY_ACCOUNTS)
        if (allowedAs(route.key, account) && !refusedByRule(route.key, account) && !OWN_RECORDS_ONLY.has(route.key))
          if (outOfScope(route.key, account, undefined).length === 0) uncovered.push(`${route.key} as ${account}`);
    expect(uncovered).toEqual([]);

    const wrong: string[] = [];
    const rowsBefore = await targetRows();
    for (const route of registered) {
      for (const account of SAME_COUNTY_ACCOUNTS) {
        if (!allowedAs(route.key, account)) continue;
        for (const call of outOfScope(route.key, account, sampleCall(route.key, ctx).body) as Array<Call & { statuses?: number[] }>) {
          // a role the service refuses may be refused before or after the record is looked up: neither tells it exists
          const expected = [
            ...(call.statuses ?? (route.key.startsWith('stats') ? [403] : [404])),
            ...(refusedByRule(route.key, account) ? [403] : []),
          ];
          const before = await tableCounts();
          const response = await send(clients[account], route, call);
          if (!expected.includes(response.status))
            wrong.push(`${route.key} as ${account} → ${call.path}: ${response.status}, expected ${expected.join(' or ')}`);
          if (response.status === 400 && !('intoCaseId' in ((response.body as { fields?: object }).fields ?? {})))
            wrong.push(`${route.key} as ${account} → ${call.path}: 400 without naming the out-of-scope field`);
          const changed = diffCounts(before, await tableCounts());
          if (changed.length > 0) wrong.push(`${route.key} as ${account} → ${call.path}: left rows in ${changed.join(', ')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(await targetRows()).toEqual(rowsBefore);

    // the same records are there for whoever has them in scope: the 404s above are scope, not absence
    const zhaiheCadre = await signInAs(server, 'zhaihe-cadre');
    const reachable: Array<[ApiClient, RouteKey, string]> = [
      [zhaiheCadre, 'casesGet', sameCounty.zhaiheCaseId],
      [clients['township-cadre'], 'casesGet', sameCounty.otherVillageCaseId],
      [clients['county-admin'], 'childrenGuardians', sameCounty.zhaihePupilId],
      [clients['county-admin'], 'enrolmentGet', sameCounty.zhaiheNoticeId],
      [clients['county-admin'], 'schoolNoticesGet', sameCounty.zhaiheSchoolNoticeId],
      [clients['county-admin'], 'complaintsGet', sameCounty.neighbourComplaintId],
    ];
    for (const [client, key, id] of reachable) {
      const call = { path: routes[key].path.replace(':id', id) };
      const response = await send(
        client,
        registered.find((r) => r.key === key)!,
        call,
      );
      expect({ key, status: response.status, problem: bodyProblem(key, call, response) }).toEqual({ key, status: 200, problem: null });
    }
  });

  /** How many rows each table holds (audit entries included): a refused call leaves every count as it was. */
  async function tableCounts(): Promise<Record<string, number>> {
    const tables = [...new Set(server.dataSource.entityMetadatas.map((m) => m.tableName))].sort();
    const escape = (name: string) => server.dataSource.driver.escape(name);
    const [row] = (await server.dataSource.query(
      `SELECT ${tables.map((t, i) => `(SELECT COUNT(*) FROM ${escape(t)}) AS ${escape(`c${i}`)}`).join(', ')}`,
    )) as Array<Record<string, number | string>>;
    return Object.fromEntries(tables.map((t, i) => [t, Number(row![`c${i}`])]));
  }

  function diffCounts(before: Record<string, number>, after: Record<string, number>): string[] {
    return Object.keys(after)
      .filter((t) => after[t] !== before[t])
      .map((t) => `${t} ${before[t]} → ${after[t]}`);
  }

  /** The out-of-scope records themselves, as stored: no call may change them. */
  async function targetRows(): Promise<unknown[]> {
    return Promise.all(
      [
        ...SAME_COUNTY_ROWS.map(([entity, where]) => [entity, where(sameCounty)] as const),
        ...SCHOOL_LINE_ROWS.map(([entity, where]) => [entity, where(ctx.schoolLine)] as const),
      ].map(async ([entity, where]) => JSON.parse(JSON.stringify(await server.dataSource.manager.findBy(entity, where)))),
    );
  }

  it('audits every read of a child’s record: who, when and which record', async () => {
    const admin = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'county-admin' });
    for (const [key, action] of Object.entries(CHILD_RECORD_READS) as Array<[RouteKey, string]>) {
      const route = registered.find((r) => r.key === key)!;
      const before = await server.dataSource.manager.countBy(AuditEntry, { action, actorId: admin.id });
      // the sample case has been merged away by now; the handling case is still there to read
      const call = key === 'casesGet' ? { path: `/cases/${ctx.handlingCaseId}` } : sampleCall(key, ctx);
      const response = await send(clients['county-admin'], route, call);
      expect({ key, ok: response.status === 200 || response.status === 201 }).toEqual({ key, ok: true });
      const after = await server.dataSource.manager.findBy(AuditEntry, { action, actorId: admin.id });
      expect({ key, audited: after.length - before }).toEqual({ key, audited: 1 });
      expect(after.every((entry) => entry.at instanceof Date && entry.actorRole === 'county_admin')).toBe(true);
    }
  });

  it('answers a region admin (市、省教育局) only the routes of its role, none with a child’s name, ID number or address', async () => {
    // 信阳市 holds both counties of the matrix (光山县 and 罗山县): everything they hold is under its prefix
    const region = await clientFor(server, await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: '411500000000' }));
    const children = await server.dataSource.manager.find(Child);
    const tips = await server.dataSource.manager.find(Tip);
    const guardians = await server.dataSource.manager.find(ChildGuardian);
    const secrets = [
      ...children.flatMap((c) => [c.name, c.idNumber ?? '']),
      ...guardians.flatMap((g) => [g.name, g.phone ?? '']),
      ...tips.flatMap((t) => [t.childName, t.observation, t.locationNote ?? '', t.contact ?? '']),
    ].filter((s) => s.length >= 2);
    expect(secrets.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    const succeeded = new Set<RouteKey>();
    for (const route of registered) {
      const expected = EXPECTED[route.key];
      if (expected === 'public' || route.key === 'authLogout' || route.key === 'invitationsRedeem') continue;
      const call = sampleCall(route.key, ctx);
      const response = await send(region, route, call);
      const allowed = expected === 'signed-in' || expected.includes('region_admin');
      if (!allowed && response.status !== 403) wrong.push(`${route.key}: ${response.status}, expected 403`);
      if (response.status === 401 || response.status >= 500) wrong.push(`${route.key}: ${response.status}`);
      if (response.status >= 200 && response.status < 300) {
        succeeded.add(route.key);
        const problem = bodyProblem(route.key, call, response);
        if (problem) wrong.push(`${route.key}: ${problem}`);
      }
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      if (FULL_ID_NUMBER.test(text) || /\d{6}\*{8}\d{3}[\dX]/.test(text)) wrong.push(`${route.key}: an ID number`);
      const leaked = secrets.find((secret) => text.includes(secret));
      if (leaked) wrong.push(`${route.key}: names “${leaked}”`);
    }
    for (const key of [...REGION_ONLY, 'me', 'invitationsList'] as RouteKey[])
      if (!succeeded.has(key)) wrong.push(`${key}: never answered the region admin`);
    expect(wrong).toEqual([]);
  });

  it('keeps lists to the caller’s county', async () => {
    const accounts = await clients['county-admin'].get<{ items: Array<{ id: string }> }>('/accounts?limit=100');
    expect(accounts.body.items.map((a) => a.id)).not.toContain(ctx.otherAccountId);
    const invitations = await clients['county-admin'].get<{ items: Array<{ id: string }> }>('/invitations');
    expect(invitations.body.items.map((i) => i.id)).toContain(ctx.invitationId);
    expect(invitations.body.items.map((i) => i.id)).not.toContain(ctx.otherInvitationId);
  });
});
