import { routes, type RouteKey } from '@baoxue/shared';
import { User } from '../../server/src/modules/accounts/user.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { NotificationsService } from '../../server/src/modules/notifications/notifications.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from './api';
import { childrenSampleCall, seedChildRecords, type ChildRecords } from './children-matrix';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from './factories';
import { parentSampleCall, seedParentRecords, type ParentRecords } from './parents-matrix';
import { registrySampleCall, seedRegistryRecords, type RegistryRecords } from './registry-matrix';
import type { TestServer } from './server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit, tipBody } from './tips';

/**
 * A valid request for every endpoint, and the records they act on: the access matrix sends them as
 * every role, the hostile-input test mutates them. A route without a sample here is a route neither
 * test can cover, so both fail on it.
 */

// The village cadre comes before the township cadre: its refusals are checked while the cases are still in its village.
export const ACCOUNTS = ['parent', 'supervisor', 'village-cadre', 'township-cadre', 'school-staff', 'county-admin'] as const;
export type Account = (typeof ACCOUNTS)[number];
export const ROLE_OF: Record<Account, string> = {
  parent: 'parent',
  supervisor: 'supervisor',
  'township-cadre': 'official',
  'village-cadre': 'official',
  'school-staff': 'official',
  'county-admin': 'county_admin',
};

/** Open to every signed-in role, but refused to one by a rule of the service. */
export const REFUSED_BY_SERVICE: Partial<Record<RouteKey, readonly Account[]>> = {
  invitationsRedeem: ['county-admin'], // a county admin cannot demote themselves with a code
  casesAccept: ['village-cadre'], // accepting is the township's
  casesReturnToTriage: ['village-cadre'], // so is handing back
  casesSetCauses: ['village-cadre'],
  casesSetAssignee: ['village-cadre', 'township-cadre'], // naming the cadre is the leader's
  casesTransfer: ['village-cadre'],
  casesMerge: ['village-cadre'], // merging and splitting cases is the township's or the assignee's
  tipsSplit: ['village-cadre'],
  casesRecordAttendance: ['village-cadre', 'township-cadre'], // attendance is the school's
  casesConfirmEnrolment: ['village-cadre', 'township-cadre'], // only the receiving school confirms
  dispatchList: ['school-staff'], // the dispatch list is the county's and the townships'
  enrolmentIssue: ['village-cadre', 'township-cadre'], // enrolment notices come from the county or a school
  schoolNoticesSend: ['village-cadre', 'township-cadre'], // school notices from school staff
  deferralsDecide: ['village-cadre'], // deferrals are the township's or the county's to decide
  // child records are merged, split and checked by the county or a township's leader
  childrenReviews: ['village-cadre', 'township-cadre', 'school-staff'],
  childrenReviewDecide: ['village-cadre', 'township-cadre', 'school-staff'],
  childrenMerge: ['village-cadre', 'township-cadre', 'school-staff'],
  childrenSplit: ['village-cadre', 'township-cadre', 'school-staff'],
  childrenMerges: ['village-cadre', 'township-cadre', 'school-staff'],
};

export interface SampleContext {
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
  /** Review pairs, records to merge and a merge to split, of the child-record routes. */
  children: ChildRecords;
}

export interface Call {
  path: string;
  body?: Record<string, unknown> | FormData;
}

/** Signs in every demo account and makes, through the API where it can, the records the samples name. */
export async function seedSampleContext(server: TestServer): Promise<{ clients: Record<Account, ApiClient>; ctx: SampleContext }> {
  const other = await seedOtherCounty(server.dataSource);
  const clients = Object.fromEntries(await Promise.all(ACCOUNTS.map(async (a) => [a, await signInAs(server, a)] as const))) as Record<
    Account,
    ApiClient
  >;
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
  const splitTipId = (await fileTip(supervisor, { child: { name: '矩阵丁', age: 8 }, observation: '第二次看到这个孩子没去上学了。' })).body
    .tip.id;
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
  const children = await seedChildRecords(server);
  const ctx: SampleContext = {
    parents,
    registry,
    children,
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
  return { clients, ctx };
}

/** A request the route accepts from a role allowed to call it; null when no sample was written for it. */
export function sampleCall(key: RouteKey, ctx: SampleContext): Call | null {
  const path = (params: Record<string, string> = {}) => routes[key].path.replace(/:(\w+)/g, (_, name: string) => params[name]!);
  switch (key) {
    case 'authWechatLogin':
      return { path: path(), body: { code: 'not-a-code' } };
    case 'authDesktopLogin':
      return { path: path(), body: { code: 'NOTACODE' } };
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
    case 'authLogout':
    case 'authDesktopCode':
    case 'messagesReadAll':
      return { path: path(), body: {} };
    default:
      return parentSampleCall(key, ctx.parents) ?? registrySampleCall(key, ctx.registry) ?? childrenSampleCall(key, ctx.children);
  }
}
