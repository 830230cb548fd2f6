import { routes, type RouteKey } from '@baoxue/shared';
import { RouteRegistry, type RegisteredRoute } from '../../../server/src/common/http/route-registry';
import { SessionsService } from '../../../server/src/modules/auth/sessions.service';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { AuditEntry } from '../../../server/src/modules/audit/audit-entry.entity';
import { api, expectError, signInAs, type ApiClient, type ApiResponse } from '../../support/api';
import { InboxMessage } from '../../../server/src/modules/notifications/notification.entities';
import { NotificationsService } from '../../../server/src/modules/notifications/notifications.service';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../../support/factories';
import { fileTip, imageForm, photoWithGps, raiseTipLimit, tipBody } from '../../support/tips';
import { parentOutOfScopeCall, parentSampleCall, seedParentRecords, type ParentRecords } from '../../support/parents-matrix';
import { registryOutOfScopeCall, registrySampleCall, seedRegistryRecords, type RegistryRecords } from '../../support/registry-matrix';
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

// The village cadre comes before the township cadre: its refusals are checked while the cases are still in its village.
const ACCOUNTS = ['parent', 'supervisor', 'village-cadre', 'township-cadre', 'school-staff', 'county-admin'] as const;
const ROLE_OF: Record<(typeof ACCOUNTS)[number], string> = {
  parent: 'parent',
  supervisor: 'supervisor',
  'township-cadre': 'official',
  'village-cadre': 'official',
  'school-staff': 'official',
  'county-admin': 'county_admin',
};

interface Context {
  schoolId: string;
  otherSchoolId: string;
  invitationId: string;
  otherInvitationId: string;
  accountId: string;
  otherAccountId: string;
  /** A tip of the demo supervisor in 吴明村, and its case; another case to merge into; one to hand back. */
  tipId: string;
  caseId: string;
  mergeIntoCaseId: string;
  returnCaseId: string;
  /** A case with two tips, for splitting. */
  splitTipId: string;
  /** Records of the other county. */
  otherTipId: string;
  otherCaseId: string;
  /** A case for the handling routes (the matrix merges `caseId` away before they run). */
  handlingCaseId: string;
  /** A message of the demo parent. */
  messageId: string;
  photo: Buffer;
  /** Children, notices and subsidy records of the parent routes. */
  parents: ParentRecords;
  /** Imports, cross-check runs and review pairs of the registry routes. */
  registry: RegistryRecords;
}

interface Call {
  path: string;
  body?: Record<string, unknown> | FormData;
}

/** A request each route accepts from a role allowed to call it. */
function sampleCall(key: RouteKey, ctx: Context): Call {
  const path = (params: Record<string, string> = {}) => routes[key].path.replace(/:(\w+)/g, (_, name: string) => params[name]!);
  switch (key) {
    case 'authWechatLogin':
      return { path: path(), body: { code: 'not-a-code' } };
    case 'authDevLogin':
      return { path: path(), body: { account: 'parent' } };
    case 'meUpdateProfile':
      return { path: path(), body: { displayName: '测试姓名' } };
    case 'mePrivacyConsent':
      return { path: path(), body: { version: '2026-11' } };
    case 'invitationsCreate':
      return { path: path(), body: { role: 'supervisor', unit: { kind: 'division', code: '411522101001' } } };
    case 'invitationsRevoke':
      return { path: path({ id: ctx.invitationId }) };
    case 'invitationsRedeem':
      return { path: path(), body: { code: 'WRONGCODE2', displayName: '测试姓名' } };
    case 'divisionsSearch':
      return { path: `${path()}?q=十里` };
    case 'divisionsGet':
    case 'divisionsChildren':
      return { path: path({ code: '411522101000' }) };
    case 'divisionsImport': {
      const form = new FormData();
      form.append('file', new Blob(['code,name,level,parent_code\n411522101001,十里街道社区居民委员会,village,411522101000\n']), 'd.csv');
      return { path: path(), body: form };
    }
    case 'schoolsGet':
      return { path: path({ id: ctx.schoolId }) };
    case 'schoolsCreate':
      return { path: path(), body: { name: '光山县十里镇测试小学', stage: 'primary', divisionCode: '411522101000' } };
    case 'schoolsUpdate':
      return { path: path({ id: ctx.schoolId }), body: { address: '十里镇政府路1号' } };
    case 'accountsUpdate':
      return { path: path({ id: ctx.accountId }), body: { disabled: false } };
    case 'tipsCreate':
      return { path: path(), body: tipBody({ child: { name: '矩阵测试' } }) as never };
    case 'tipsGet':
      return { path: path({ id: ctx.tipId }) };
    case 'tipsReveal':
      return { path: path({ id: ctx.tipId }), body: { reason: '需要向提供人核实' } };
    case 'tipsSplit':
      return { path: path({ id: ctx.splitTipId }), body: { reason: '不是同一个孩子' } };
    case 'uploadsCreate':
      return { path: path(), body: imageForm(ctx.photo) };
    case 'casesGet':
    case 'casesAssignees':
      return { path: path({ id: ctx.caseId }) };
    case 'casesAccept':
      return { path: path({ id: ctx.caseId }), body: {} };
    case 'casesRoute':
      return { path: path({ id: ctx.caseId }), body: { townshipCode: '411522101000', reason: '核实后仍属十里镇' } };
    case 'casesReturnToTriage':
      return { path: path({ id: ctx.returnCaseId }), body: { reason: '孩子不住在本乡镇' } };
    case 'casesMerge':
      return { path: path({ id: ctx.caseId }), body: { intoCaseId: ctx.mergeIntoCaseId, reason: '同一个孩子' } };
    case 'messagesRead':
      return { path: path({ id: ctx.messageId }) };
    case 'casesTransition':
      return { path: path({ id: ctx.handlingCaseId }), body: { version: 1, transition: 'start_verification' } };
    case 'casesLogVisit':
      return {
        path: path({ id: ctx.handlingCaseId }),
        body: { version: 1, visitedOn: '2026-11-20', visitors: '陈丽', met: '母亲', statedReason: '不想上学', outcome: 'refused' },
      };
    case 'casesSetCauses':
      return { path: path({ id: ctx.handlingCaseId }), body: { version: 1, causes: ['poverty'] } };
    case 'casesSetAssignee':
      return { path: path({ id: ctx.handlingCaseId }), body: { version: 1, assigneeId: ctx.accountId } };
    case 'casesConfirmEnrolment':
    case 'casesAttendance':
      return { path: path({ id: ctx.handlingCaseId }) };
    case 'casesRecordAttendance':
      return { path: path({ id: ctx.handlingCaseId }), body: { days: [{ day: '2026-11-20', present: true }] } };
    case 'casesTransfer':
      return { path: path({ id: ctx.handlingCaseId }), body: { version: 1, toTownshipCode: '411522102000', reason: '搬家' } };
    case 'transfersAccept':
      return { path: path({ id: ctx.caseId }), body: {} };
    case 'transfersReject':
      return { path: path({ id: ctx.caseId }), body: { note: '不是本乡镇的孩子' } };
    case 'noticesPaperDelivery':
      return { path: path({ id: ctx.caseId }), body: { deliveredOn: '2026-11-20', receivedBy: '王某' } };
    case 'noticesAcknowledge':
      return { path: path({ id: ctx.caseId }) };
    case 'rechecksComplete':
      return { path: path({ id: ctx.caseId }), body: { result: 'attending' } };
    case 'countySettingsUpdate':
      return { path: path(), body: { acknowledgeHours: 24 } };
    case 'subscriptionsRecord':
      return { path: path(), body: { accepted: ['tip_progress'] } };
    default:
      return parentSampleCall(key, ctx.parents) ?? registrySampleCall(key, ctx.registry) ?? { path: path() };
  }
}

/** The same route aimed at a record of another county (or person): reads as not found, writes are refused. */
function outOfScopeCall(key: RouteKey, ctx: Context): { call: Call; status: number; as?: (typeof ACCOUNTS)[number] } | null {
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
      return parentOutOfScopeCall(key, ctx.parents) ?? registryOutOfScopeCall(key, ctx.registry);
  }
}

/** Open to every signed-in role, but refused to one by a rule of the service. */
const REFUSED_BY_SERVICE: Partial<Record<RouteKey, ReadonlyArray<(typeof ACCOUNTS)[number]>>> = {
  invitationsRedeem: ['county-admin'], // a county admin cannot demote themselves with a code
  casesAccept: ['village-cadre'], // accepting is the township's
  casesReturnToTriage: ['village-cadre'], // so is handing back
  casesSetCauses: ['village-cadre'],
  casesSetAssignee: ['village-cadre', 'township-cadre'], // naming the cadre is the leader's
  casesTransfer: ['village-cadre'],
  casesRecordAttendance: ['village-cadre', 'township-cadre'], // attendance is the school's
  casesConfirmEnrolment: ['village-cadre', 'township-cadre'], // only the receiving school confirms
  dispatchList: ['school-staff'], // the dispatch list is the county's and the townships'
  enrolmentIssue: ['village-cadre', 'township-cadre'], // enrolment notices come from the county or a school
  schoolNoticesSend: ['village-cadre', 'township-cadre'], // school notices from school staff
  deferralsDecide: ['village-cadre'], // deferrals are the township's or the county's to decide
};

/** Routes whose path names a record; each must have an out-of-scope case above (or be public data). */
const PUBLIC_DATA_ROUTES: ReadonlySet<RouteKey> = new Set(['divisionsGet', 'divisionsChildren', 'schoolsGet', 'registryTemplate']);

/** An 18-character ID number in full; responses carry them masked (411522********1238). */
const FULL_ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;

/** Routes that read one child's record, and the audit action each leaves (who, when, which record). */
const CHILD_RECORD_READS: Partial<Record<RouteKey, string>> = {
  casesGet: 'case.read',
  childrenGuardians: 'child.guardians.read',
  childrenSubsidies: 'child.subsidies.read',
  enrolmentGet: 'enrolment.notice.read',
  enrolmentPdf: 'enrolment.notice.pdf',
  casesLedger: 'ledger.export',
  tipsReveal: 'tip.reveal_tipster',
};

function send(client: ApiClient, route: RegisteredRoute, call: Call): Promise<ApiResponse> {
  return client.request(route.method, call.path, call.body ?? (route.method === 'GET' ? undefined : {}));
}

describe('access matrix', () => {
  let server: TestServer;
  let registered: readonly RegisteredRoute[];
  let clients: Record<(typeof ACCOUNTS)[number], ApiClient>;
  let ctx: Context;

  beforeAll(async () => {
    server = await startTestServer();
    registered = server.app.get(RouteRegistry).list();
    const other = await seedOtherCounty(server.dataSource);
    clients = Object.fromEntries(await Promise.all(ACCOUNTS.map(async (a) => [a, await signInAs(server, a)] as const))) as typeof clients;
    const otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    const otherOfficial = await createUser(server.dataSource, {
      role: 'official',
      position: 'cadre',
      unitDivisionCode: OTHER_COUNTY.township,
      countyCode: OTHER_COUNTY.code,
    });
    const schools = await clients['county-admin'].get<{ items: Array<{ id: string }> }>('/schools?under=411522101000');
    const invitation = await clients['county-admin'].post<{ id: string }>('/invitations', {
      role: 'supervisor',
      unit: { kind: 'division', code: '411522101002' },
    });
    const otherInvitation = await otherAdmin.post<{ id: string }>('/invitations', {
      role: 'supervisor',
      unit: { kind: 'division', code: OTHER_COUNTY.village },
    });
    const cadre = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'township-cadre' });
    await raiseTipLimit(server.dataSource);
    const supervisor = clients.supervisor;
    const caseOf = async (tipId: string) => (await server.dataSource.manager.findOneByOrFail(Tip, { id: tipId })).caseId;
    const tipId = (await fileTip(supervisor, { child: { name: '矩阵甲' } })).body.tip.id;
    const mergeTarget = (await fileTip(supervisor, { child: { name: '矩阵乙' } })).body.tip.id;
    const toReturn = (await fileTip(supervisor, { child: { name: '矩阵丙' } })).body.tip.id;
    const forHandling = (await fileTip(supervisor, { child: { name: '矩阵戊' } })).body.tip.id;
    await fileTip(supervisor, { child: { name: '矩阵丁', age: 8 } });
    const splitTipId = (await fileTip(supervisor, { child: { name: '矩阵丁', age: 8 }, observation: '第二次看到这个孩子没去上学了。' }))
      .body.tip.id;
    const otherSupervisor = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'supervisor', unitDivisionCode: OTHER_COUNTY.village, countyCode: OTHER_COUNTY.code }),
    );
    const otherTipId = (await fileTip(otherSupervisor, { divisionCode: OTHER_COUNTY.village, child: { name: '别县孩子' } })).body.tip.id;
    const parentMessage = await server.dataSource.transaction(async (manager) => {
      const parent = await manager.findOneByOrFail(User, { demoAccount: 'parent' });
      await server.app
        .get(NotificationsService)
        .notify(manager, [parent.id], { key: 'matrix-test', title: '测试', body: '测试消息', link: null });
      return manager.findOneByOrFail(InboxMessage, { userId: parent.id });
    });
    const parents = await seedParentRecords(
      server,
      { parent: clients.parent, county: clients['county-admin'], staff: clients['school-staff'] },
      other.schoolId,
    );
    const registry = await seedRegistryRecords(server, { county: clients['county-admin'], otherCounty: otherAdmin }, '罗山县周党镇中心小学');
    ctx = {
      parents,
      registry,
      tipId,
      caseId: await caseOf(tipId),
      mergeIntoCaseId: await caseOf(mergeTarget),
      returnCaseId: await caseOf(toReturn),
      handlingCaseId: await caseOf(forHandling),
      splitTipId,
      otherTipId,
      otherCaseId: await caseOf(otherTipId),
      messageId: parentMessage.id,
      photo: await photoWithGps(64, 64),
      schoolId: schools.body.items[0]!.id,
      otherSchoolId: other.schoolId,
      invitationId: invitation.body.id,
      otherInvitationId: otherInvitation.body.id,
      accountId: cadre.id,
      otherAccountId: otherOfficial.id,
    };
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
        if (typeof body === 'object' && FULL_ID_NUMBER.test(JSON.stringify(body))) wrong.push(`${route.key} as ${account}: an unmasked ID number`);
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
