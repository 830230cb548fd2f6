import {
  COMPLAINT_ACTIONS,
  mayTakeCaseAction,
  RECORD_POLICY,
  ROUTE_POLICIES,
  routes,
  type CaseActor,
  type CaseTransition,
  type ComplaintTransition,
  type DivisionLevel,
  type PolicyRow,
  type RecordAction,
  type RecordActor,
  type RouteKey,
} from '@baoxue/shared';
import { User } from '../../server/src/modules/accounts/user.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { NotificationsService } from '../../server/src/modules/notifications/notifications.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from './api';
import { caseStepSampleCall, seedCaseStepRecords, type CaseStepRecords } from './case-steps-matrix';
import { childrenSampleCall, seedChildRecords, type ChildRecords } from './children-matrix';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from './factories';
import { parentSampleCall, seedParentRecords, type ParentRecords } from './parents-matrix';
import { registrySampleCall, seedRegistryRecords, type RegistryRecords } from './registry-matrix';
import { schoolLineSampleCall, seedSchoolLineRecords, type SchoolLineRecords } from './school-line-matrix';
import { seedSpotCheckRecords, spotCheckSampleCall, type SpotCheckRecords } from './spot-checks-matrix';
import { reportSampleCall, seedReportRecords, type ReportRecords } from './reports-matrix';
import type { TestServer } from './server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit, tipBody } from './tips';

/**
 * A valid request for every endpoint, and the records they act on: the access matrix sends them as
 * every role, the hostile-input test mutates them. A route without a sample here is a route neither
 * test can cover, so both fail on it.
 */

// The village cadre comes before the township cadre: its refusals are checked while the cases are still in its village.
// The school staff 赵敏 is the sample class's 班主任 and takes its roll call before the school's leader replays it.
export const ACCOUNTS = [
  'parent',
  'supervisor',
  'village-cadre',
  'township-cadre',
  'school-staff',
  'school-leader',
  'county-admin',
] as const;
export type Account = (typeof ACCOUNTS)[number];
export const ROLE_OF: Record<Account, string> = {
  parent: 'parent',
  supervisor: 'supervisor',
  'township-cadre': 'official',
  'village-cadre': 'official',
  'school-staff': 'official',
  'school-leader': 'official',
  'county-admin': 'county_admin',
};

/**
 * What each account is to the sample records, in the policy's terms: the cases are of 吴明村 in 十里镇
 * (the township cadre accepted those past `reported`, so it is their assignee), and the demo school's
 * staff are only on the two cases at their school; the other records are of the demo county, its
 * township 十里镇, village 吴明村 and school, and the demo parent's bound child.
 */
const CASE_ACTORS: Record<Account, readonly CaseActor[]> = {
  parent: [],
  supervisor: [],
  'village-cadre': ['village_cadre'],
  'township-cadre': ['township_cadre', 'assignee'],
  'school-staff': [],
  'school-leader': [],
  'county-admin': ['county_admin'],
};
const SCHOOL_CASE_ROUTES: Partial<Record<RouteKey, CaseActor>> = {
  casesRecordAttendance: 'school_staff',
  casesConfirmEnrolment: 'receiving_school',
};
const RECORD_ACTORS: Record<Account, { actors: readonly RecordActor[]; level?: DivisionLevel }> = {
  parent: { actors: ['guardian'] },
  supervisor: { actors: ['supervisor'] },
  'village-cadre': { actors: ['division_cadre'], level: 'village' },
  'township-cadre': { actors: ['division_cadre'], level: 'township' },
  // 赵敏 is the 班主任 of the school-line samples' class (school-line-matrix.ts)
  'school-staff': { actors: ['school_staff', 'class_teacher'] },
  // the school's leader (校长) is its staff too, and no 班主任
  'school-leader': { actors: ['school_staff', 'school_leader'] },
  'county-admin': { actors: ['county_admin'] },
};

/** The policy row a sample takes: its route's (`ROUTE_POLICIES`), or the transition its body names. */
function policyRowOf(key: RouteKey, call: Call | null): PolicyRow | null {
  if (key === 'casesTransition') return { case: (call?.body as { transition: CaseTransition }).transition };
  if (key === 'complaintsTransition') return { record: COMPLAINT_ACTIONS[(call?.body as { transition: ComplaintTransition }).transition] };
  const listRow = LIST_READ_ROWS[key];
  return ROUTE_POLICIES[key] ?? (listRow ? { record: listRow } : null);
}

/** Whether the policy refuses the account the sample's action on a record it can see. */
function refusedByPolicy(row: PolicyRow, key: RouteKey, account: Account): boolean {
  if ('case' in row) {
    const schoolActor = SCHOOL_CASE_ROUTES[key];
    const atSchool = account === 'school-staff' || account === 'school-leader';
    const actors = new Set([...CASE_ACTORS[account], ...(schoolActor && atSchool ? [schoolActor] : [])]);
    // a case the account cannot see reads as not found, before the policy is asked
    return actors.size > 0 && !mayTakeCaseAction(row.case, actors);
  }
  const { actors, level } = RECORD_ACTORS[account];
  const rule = RECORD_POLICY[row.record];
  const counts = !level || !rule.levels || rule.levels.includes(level);
  return !(actors.some((actor) => rule.who.includes(actor)) && counts);
}

/** Refusals the policy tables cannot express, and why. */
const REFUSED_BESIDES_POLICY: Partial<Record<RouteKey, readonly Account[]>> = {
  invitationsRedeem: ['county-admin'], // a county admin cannot demote themselves with a code
  // an official's photo is a school's 学籍异动 document (`upload_pupil_change_document`): a division's officials upload none
  uploadsCreate: ['village-cadre', 'township-cadre'],
  // the school's staff confirmed the pupil before its leader's turn: the case is no longer open to confirm
  casesConfirmEnrolment: ['school-leader'],
};

/**
 * Lists the route table gives no policy row (a list answers what the caller may read), whose
 * service refuses a caller the row gives no relation to any record of its kind.
 */
const LIST_READ_ROWS: Partial<Record<RouteKey, RecordAction>> = {
  classesList: 'read_class',
  absenceAlertsList: 'read_absence_alert',
};

/**
 * The reason a refusal of the route gives the account: the route's record row's (`ROUTE_POLICIES`),
 * whether the guard refuses the account (the row never lists it) or the service (not for this
 * record); null where the table names none (a case row, a refusal beside the policy).
 */
export function refusalReason(key: RouteKey, account: Account): string | null {
  if (REFUSED_BESIDES_POLICY[key]?.includes(account)) return null;
  const row = ROUTE_POLICIES[key];
  return row && 'record' in row ? RECORD_POLICY[row.record].refusal : null;
}

/** Open to an account's role, but refused to the account by the policy (or a rule beside it), for the sample's record. */
export function refusedByService(key: RouteKey, account: Account, ctx: SampleContext): boolean {
  if (REFUSED_BESIDES_POLICY[key]?.includes(account)) return true;
  const row = policyRowOf(key, sampleCall(key, ctx));
  return row !== null && refusedByPolicy(row, key, account);
}

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
  /** A 通报 of the county (sent to its township leaders and schools), and one of the other county. */
  circularId: string;
  otherCircularId: string;
  photo: Buffer;
  /** Children, notices and subsidy records of the parent routes. */
  parents: ParentRecords;
  /** Imports, cross-check runs and review pairs of the registry routes. */
  registry: RegistryRecords;
  /** Review pairs, records to merge and a merge to split, of the child-record routes. */
  children: ChildRecords;
  /** Cases in the state each handling step starts from, and transfers waiting for 十里镇. */
  steps: CaseStepRecords;
  /** Classes, roll calls, leave and pupil changes of the school-line routes. */
  schoolLine: SchoolLineRecords;
  /** 督导 draws and 整改 items, of the county and out of scope. */
  spotChecks: SpotCheckRecords;
  /** Periodic reports in each state the report routes start from, and out of scope. */
  reports: ReportRecords;
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
  const steps = await seedCaseStepRecords(
    server,
    { supervisor, cadre: clients['township-cadre'], leader: await signInAs(server, 'township-leader'), county: clients['county-admin'] },
    parents.schoolId,
  );
  const schoolLine = await seedSchoolLineRecords(
    server,
    { parent: clients.parent, staff: clients['school-staff'], leader: clients['school-leader'], county: clients['county-admin'] },
    other.schoolId,
  );
  const circular = (client: ApiClient, idempotencyKey: string) =>
    client.post<{ id: string }>('/circulars', { ...MATRIX_CIRCULAR, idempotencyKey }).then((response) => response.body.id);
  const circularId = await circular(clients['county-admin'], MATRIX_CIRCULAR_KEY);
  const otherCircularId = await circular(otherAdmin, '0193a5f0-0000-7000-8000-00000000c002');
  const spotChecks = await seedSpotCheckRecords(server, await caseOf(forHandling));
  const reports = await seedReportRecords(server, {
    schoolLeader: clients['school-leader'],
    county: clients['county-admin'],
    otherCounty: otherAdmin,
  });
  const ctx: SampleContext = {
    spotChecks,
    reports,
    circularId,
    otherCircularId,
    schoolLine,
    parents,
    registry,
    children,
    steps,
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

/** The 通报 the matrix publishes; the publish route's sample repeats its key (an idempotent replay). */
const MATRIX_CIRCULAR = { title: '矩阵考核通报', by: 'township', from: '2026-09-01', to: '2026-11-30' };
const MATRIX_CIRCULAR_KEY = '0193a5f0-0000-7000-8000-00000000c001';

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
    case 'casesAttendance':
      return { path: path({ id: ctx.handlingCaseId }) };
    case 'casesSetCauses':
      return { path: path({ id: ctx.handlingCaseId }), body: { version: 1, causes: ['poverty'] } };
    case 'auditList':
      return { path: `${path()}?category=read&limit=5` };
    case 'auditExport':
      return { path: `${path()}?category=read` };
    case 'countySettingsUpdate':
      return { path: path(), body: { acknowledgeHours: 24 } };
    case 'statsIntakeSet':
      return { path: path({ entryYear: '2018' }), body: { intake: 1200, source: '2018年教育事业统计年报' } };
    case 'subscriptionsRecord':
      return { path: path(), body: { accepted: ['tip_progress'] } };
    case 'circularsPublish':
      return { path: path(), body: { ...MATRIX_CIRCULAR, idempotencyKey: MATRIX_CIRCULAR_KEY } };
    case 'circularsGet':
    case 'circularsPdf':
      return { path: path({ id: ctx.circularId }) };
    case 'authLogout':
    case 'authDesktopCode':
    case 'messagesReadAll':
      return { path: path(), body: {} };
    default:
      return (
        caseStepSampleCall(key, ctx.steps) ??
        parentSampleCall(key, ctx.parents) ??
        registrySampleCall(key, ctx.registry) ??
        childrenSampleCall(key, ctx.children) ??
        schoolLineSampleCall(key, ctx.schoolLine) ??
        spotCheckSampleCall(key, ctx.spotChecks) ??
        reportSampleCall(key, ctx.reports)
      );
  }
}
