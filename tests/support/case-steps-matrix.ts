import { addDays, chinaDay, routes, schoolDaysUpTo, type CaseDetail, type RouteKey } from '@baoxue/shared';
import { User } from '../../server/src/modules/accounts/user.entity';
import { CaseRecheck, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Guardianship } from '../../server/src/modules/children/guardianship.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import type { ApiClient } from './api';
import { countyCalendar } from './calendar';
import { clientFor, createUser } from './factories';
import { DEMO_COUNTY } from './pupils';
import type { TestServer } from './server';
import { fileTip, SHILI, ZHANGWEIZI } from './tips';

/**
 * Cases of the access matrix's handling routes, each in the state its step starts from and with the
 * version it has, so the role the policy allows gets a 2xx: one case per route, because a step that
 * succeeds changes the case for the next role (and the next route).
 */
export interface CaseStepRecords {
  /** Accepted by the township cadre (its assignee): verification can start. */
  toVerify: SampleCase;
  /** Confirmed as a dropout: a home visit can be logged. */
  toVisit: SampleCase;
  /** Accepted by the township cadre, for the township's leader to be named its cadre instead. */
  toAssign: SampleCase;
  leaderId: string;
  /** Reported, for a transfer to 寨河镇. */
  toTransfer: SampleCase;
  /** Being verified, closed as transferred to the demo school, which has not confirmed yet. */
  toConfirm: SampleCase;
  /** Returned to the demo school: its attendance can be recorded. */
  returned: SampleCase;
  /** A re-check of a case closed (销号) after its attendance was proven. */
  recheckId: string;
  /** Formal notices (限期返校通知书) the township leader issued: one on paper (no parent is bound), one in the demo parent's app. */
  paperNoticeId: string;
  appNoticeId: string;
  /** Two transfers from 寨河镇 waiting for 十里镇 (the township cadre's) to accept or reject. */
  incomingToAccept: string;
  incomingToReject: string;
  /** Today in China: the return's date, and the day whose attendance is recorded. */
  today: string;
}

export interface SampleCase {
  id: string;
  version: number;
}

export async function seedCaseStepRecords(
  server: TestServer,
  clients: { supervisor: ApiClient; cadre: ApiClient; leader: ApiClient; county: ApiClient },
  schoolId: string,
): Promise<CaseStepRecords> {
  const { dataSource } = server;
  const { cadre, county } = clients;
  const today = chinaDay(server.clock.now());
  const caseOf = async (supervisor: ApiClient, name: string, divisionCode?: string): Promise<string> => {
    const response = await fileTip(supervisor, { child: { name }, ...(divisionCode ? { divisionCode } : {}) });
    if (response.status !== 201) throw new Error(`matrix tip failed: ${response.status} ${JSON.stringify(response.body)}`);
    return (await dataSource.manager.findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
  };
  const ok = async (response: Promise<{ status: number; body: unknown }>, what: string): Promise<CaseDetail> => {
    const { status, body } = await response;
    if (status !== 200) throw new Error(`matrix ${what}: ${status} ${JSON.stringify(body)}`);
    return body as CaseDetail;
  };
  const accept = (id: string) => ok(cadre.post(`/cases/${id}/accept`, {}), 'accept');
  const step = (id: string, version: number, body: Record<string, unknown>) =>
    ok(cadre.post(`/cases/${id}/transitions`, { version, ...body }), String(body.transition));
  const sample = (detail: CaseDetail): SampleCase => ({ id: detail.id, version: detail.version });
  const verifying = async (name: string) => {
    const id = await caseOf(clients.supervisor, name);
    const accepted = await accept(id);
    return step(id, accepted.version, { transition: 'start_verification' });
  };
  const confirmed = async (name: string) => {
    const detail = await verifying(name);
    return step(detail.id, detail.version, { transition: 'confirm', causes: ['poverty'] });
  };
  const reported = async (name: string) => sample(await ok(county.get(`/cases/${await caseOf(clients.supervisor, name)}`), 'read'));

  const toVerify = sample(await accept(await caseOf(clients.supervisor, '矩阵核查')));
  const toVisit = sample(await confirmed('矩阵家访'));
  const toAssign = sample(await accept(await caseOf(clients.supervisor, '矩阵包抓')));
  const leader = await dataSource.manager.findOneByOrFail(User, { demoAccount: 'township-leader' });
  const toTransfer = await reported('矩阵移交');
  const pending = await verifying('矩阵转学');
  const toConfirm = sample(
    await step(pending.id, pending.version, {
      transition: 'close_not_dropout',
      reason: 'transferred',
      evidence: '家长称已转入十里镇中心小学',
      receivingSchoolId: schoolId,
    }),
  );
  const back = await confirmed('矩阵返校');
  const returned = sample(
    await step(back.id, back.version, { transition: 'record_return', schoolId, grade: 3, placement: 'regular_class', returnedOn: today }),
  );

  // returned thirty school days ago (the county's calendar: holidays and vacations are none) and
  // present every school day since: the county closes it, a re-check follows
  const closing = await confirmed('矩阵复查');
  const calendar = await countyCalendar(server, DEMO_COUNTY);
  const days = schoolDaysUpTo(today, 30, calendar);
  const returnedOn = days[0]!;
  const closable = await step(closing.id, closing.version, {
    transition: 'record_return',
    schoolId,
    grade: 3,
    placement: 'regular_class',
    returnedOn,
  });
  const attended = await county.post(`/cases/${closing.id}/attendance`, { days: days.map((day) => ({ day, present: true })) });
  if (attended.status >= 300) throw new Error(`matrix attendance: ${attended.status} ${JSON.stringify(attended.body)}`);
  const { version: closeVersion } = await ok(county.get(`/cases/${closing.id}`), 'read');
  await ok(county.post(`/cases/${closing.id}/transitions`, { version: closeVersion, transition: 'close' }), 'close');
  const recheck = await dataSource.manager.findOneByOrFail(CaseRecheck, { caseId: closable.id });

  const parent = await dataSource.manager.findOneByOrFail(User, { demoAccount: 'parent' });
  const noticeOn = async (name: string, boundToParent: boolean): Promise<string> => {
    const detail = await confirmed(name);
    if (boundToParent) {
      const { childId } = await dataSource.manager.findOneByOrFail(DropoutCase, { id: detail.id });
      await dataSource.manager.insert(Guardianship, { childId, userId: parent.id, relation: '母亲', createdAt: new Date() });
    }
    const escalated = await ok(
      clients.leader.post(`/cases/${detail.id}/transitions`, {
        version: detail.version,
        transition: 'escalate',
        step: 'written_notice',
        deadlineOn: addDays(today, 7),
      }),
      'escalate',
    );
    return escalated.notices[0]!.id;
  };
  const paperNoticeId = await noticeOn('矩阵纸质通知', false);
  const appNoticeId = await noticeOn('矩阵回执', true);

  // cases of 寨河镇 the county hands to 十里镇
  const zhaiheSupervisor = await clientFor(
    server,
    await createUser(dataSource, { role: 'supervisor', unitDivisionCode: ZHANGWEIZI, countyCode: DEMO_COUNTY }),
  );
  const incoming: Record<string, string> = {};
  for (const name of ['矩阵接收', '矩阵拒收']) {
    const id = await caseOf(zhaiheSupervisor, name, ZHANGWEIZI);
    const { version } = await ok(county.get(`/cases/${id}`), 'read');
    await ok(county.post(`/cases/${id}/transfers`, { version, toTownshipCode: SHILI, reason: '孩子随父母搬到十里镇' }), 'transfer');
  }
  const list = await cadre.get<{ items: Array<{ id: string; childName: string }> }>('/transfers/incoming');
  for (const item of list.body.items) incoming[item.childName] = item.id;
  return {
    toVerify,
    toVisit,
    toAssign,
    leaderId: leader.id,
    toTransfer,
    toConfirm,
    returned,
    recheckId: recheck.id,
    paperNoticeId,
    appNoticeId,
    incomingToAccept: incoming['矩阵接收']!,
    incomingToReject: incoming['矩阵拒收']!,
    today,
  };
}

interface Call {
  path: string;
  body?: Record<string, unknown>;
}

/** A request each handling route accepts from the role the policy allows (null: not one of them). */
export function caseStepSampleCall(key: RouteKey, r: CaseStepRecords): Call | null {
  const at = (id: string) => routes[key].path.replace(':id', id);
  switch (key) {
    case 'casesTransition':
      return { path: at(r.toVerify.id), body: { version: r.toVerify.version, transition: 'start_verification' } };
    case 'casesLogVisit':
      return {
        path: at(r.toVisit.id),
        body: {
          version: r.toVisit.version,
          visitedOn: r.today,
          visitors: '陈丽',
          met: '母亲',
          statedReason: '不想上学',
          outcome: 'refused',
        },
      };
    case 'casesSetAssignee':
      return { path: at(r.toAssign.id), body: { version: r.toAssign.version, assigneeId: r.leaderId } };
    case 'casesTransfer':
      return { path: at(r.toTransfer.id), body: { version: r.toTransfer.version, toTownshipCode: '411522102000', reason: '搬家' } };
    case 'casesConfirmEnrolment':
      return { path: at(r.toConfirm.id) };
    case 'casesRecordAttendance':
      return { path: at(r.returned.id), body: { days: [{ day: r.today, present: true }] } };
    case 'noticesPaperDelivery':
      return { path: at(r.paperNoticeId), body: { deliveredOn: r.today, receivedBy: '王某' } };
    case 'noticesAcknowledge':
      return { path: at(r.appNoticeId) };
    case 'rechecksComplete':
      return { path: at(r.recheckId), body: { result: 'attending' } };
    case 'transfersAccept':
      return { path: at(r.incomingToAccept), body: {} };
    case 'transfersReject':
      return { path: at(r.incomingToReject), body: { note: '不是本乡镇的孩子' } };
    default:
      return null;
  }
}
