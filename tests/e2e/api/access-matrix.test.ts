import { routes, type RouteKey } from '@baoxue/shared';
import { RouteRegistry, type RegisteredRoute } from '../../../server/src/common/http/route-registry';
import { SessionsService } from '../../../server/src/modules/auth/sessions.service';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { AuditEntry } from '../../../server/src/modules/audit/audit-entry.entity';
import { api, expectError, type ApiClient, type ApiResponse } from '../../support/api';
import { OTHER_COUNTY } from '../../support/factories';
import { childrenOutOfScopeCall } from '../../support/children-matrix';
import { parentOutOfScopeCall } from '../../support/parents-matrix';
import { registryOutOfScopeCall } from '../../support/registry-matrix';
import {
  ACCOUNTS,
  REFUSED_BY_SERVICE,
  ROLE_OF,
  sampleCall as sampleOf,
  seedSampleContext,
  type Call,
  type SampleContext,
} from '../../support/sample-calls';
import { startTestServer, type TestServer } from '../../support/server';

/**
 * Every endpoint × every role × in and out of scope. The table of expectations must name exactly
 * the routes the server registers, so a new endpoint fails this test until its access is decided.
 */
type Expected = 'public' | 'signed-in' | ReadonlyArray<'parent' | 'supervisor' | 'official' | 'county_admin'>;

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
  invitationsCreate: ['county_admin'],
  invitationsList: ['county_admin'],
  invitationsRevoke: ['county_admin'],
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
  uploadsCreate: ['supervisor', 'parent'],
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
  countySettingsGet: ['official', 'county_admin'],
  countySettingsUpdate: ['county_admin'],
  childrenBind: ['parent'],
  childrenMine: ['parent'],
  childrenUnbind: ['parent'],
  childrenGuardians: ['official', 'county_admin'],
  childrenSubsidies: ['parent', 'official', 'county_admin'],
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
  statsDropout: ['official', 'county_admin'],
  statsExport: ['official', 'county_admin'],
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
        parentOutOfScopeCall(key, ctx.parents) ?? registryOutOfScopeCall(key, ctx.registry) ?? childrenOutOfScopeCall(key, ctx.children)
      );
  }
}

/** Routes whose path names a record; each must have an out-of-scope case above (or be public data). */
const PUBLIC_DATA_ROUTES: ReadonlySet<RouteKey> = new Set(['divisionsGet', 'divisionsChildren', 'schoolsGet', 'registryTemplate']);

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

  beforeAll(async () => {
    server = await startTestServer();
    registered = server.app.get(RouteRegistry).list();
    ({ clients, ctx } = await seedSampleContext(server));
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

  it('lets each role call exactly the routes its role may call', async () => {
    const wrong: string[] = [];
    for (const route of registered) {
      const expected = EXPECTED[route.key];
      if (expected === 'public' || route.key === 'authLogout') continue;
      for (const account of ACCOUNTS) {
        const { status, body } = await send(clients[account], route, sampleCall(route.key, ctx));
        if (typeof body === 'object' && FULL_ID_NUMBER.test(JSON.stringify(body)))
          wrong.push(`${route.key} as ${account}: an unmasked ID number`);
        const allowed = expected === 'signed-in' || expected.includes(ROLE_OF[account] as never);
        const refusedByRule = REFUSED_BY_SERVICE[route.key]?.includes(account) ?? false;
        if (!allowed && status !== 403) wrong.push(`${route.key} as ${account}: ${status}, expected 403`);
        if (allowed && !refusedByRule && (status === 401 || status === 403 || status >= 500))
          wrong.push(`${route.key} as ${account}: ${status}`);
        if (refusedByRule && status !== 403) wrong.push(`${route.key} as ${account}: ${status}, expected 403`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('answers requests for another county’s records as not found, and refuses writes into it', async () => {
    const idRoutes = registered.filter((r) => /:\w+/.test(r.path) && !PUBLIC_DATA_ROUTES.has(r.key));
    for (const route of idRoutes)
      expect({ route: route.key, covered: outOfScopeCall(route.key, ctx) !== null }).toEqual({ route: route.key, covered: true });
    for (const route of registered) {
      const outside = outOfScopeCall(route.key, ctx);
      if (!outside) continue;
      const response = await send(clients[outside.as ?? 'county-admin'], route, outside.call);
      expect({ route: route.key, status: response.status }).toEqual({ route: route.key, status: outside.status });
    }
  });

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

  it('keeps lists to the caller’s county', async () => {
    const accounts = await clients['county-admin'].get<{ items: Array<{ id: string }> }>('/accounts?limit=100');
    expect(accounts.body.items.map((a) => a.id)).not.toContain(ctx.otherAccountId);
    const invitations = await clients['county-admin'].get<{ items: Array<{ id: string }> }>('/invitations');
    expect(invitations.body.items.map((i) => i.id)).toContain(ctx.invitationId);
    expect(invitations.body.items.map((i) => i.id)).not.toContain(ctx.otherInvitationId);
  });
});
