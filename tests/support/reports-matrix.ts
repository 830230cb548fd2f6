import { chinaDay, previousReportPeriod, reportablePeriod, routes, type RouteKey } from '@baoxue/shared';
import { School } from '../../server/src/modules/schools/school.entity';
import { signInAs, type ApiClient } from './api';
import { clientFor, createUser } from './factories';
import type { TestServer } from './server';
import { ZHAIHE } from './tips';

/**
 * Records for the access matrix's periodic-report routes (BRIEF §5a), of the month (or quarter) due
 * now: the demo school's draft (read and exported by its leader and the county), the county's own
 * quarterly draft (edited and submitted by the county admin), 十里镇's report submitted (approved by
 * the county), 寨河镇's submitted (returned by the county) and 十里镇's of the month before approved
 * (reopened by the county). Out of scope: the other county's quarterly draft, and another school's
 * draft of the same county (not the demo school leader's).
 */
export interface ReportRecords {
  schoolReportId: string;
  countyReportId: string;
  toApproveId: string;
  toReturnId: string;
  toReopenId: string;
  otherCountyReportId: string;
  otherSchoolReportId: string;
}

type Call = { path: string; body?: Record<string, unknown> };

async function made(client: ApiClient, body: Record<string, unknown> = {}): Promise<string> {
  const response = await client.post<{ id: string }>('/reports', body);
  if (response.status !== 200) throw new Error(`report: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.id;
}

async function step(client: ApiClient, id: string, action: 'submit' | 'approve', body: Record<string, unknown> = {}): Promise<void> {
  const response = await client.post(`/reports/${id}/${action}`, body);
  if (response.status !== 200) throw new Error(`${action}: ${response.status} ${JSON.stringify(response.body)}`);
}

export async function seedReportRecords(
  server: TestServer,
  clients: { schoolLeader: ApiClient; county: ApiClient; otherCounty: ApiClient },
): Promise<ReportRecords> {
  const manager = server.dataSource.manager;
  const month = reportablePeriod('township_monthly', chinaDay(server.clock.now()));
  const leader = await signInAs(server, 'township-leader');
  const zhaihe = await clientFor(
    server,
    await createUser(server.dataSource, { role: 'official', position: 'leader', unitDivisionCode: ZHAIHE, countyCode: '411522000000' }),
  );
  const demoSchool = await manager.findOneByOrFail(School, { name: '光山县十里镇中心小学' });
  const otherSchool = (await manager.findBy(School, { countyCode: '411522000000' })).find((s) => s.id !== demoSchool.id)!;
  const otherSchoolLeader = await clientFor(
    server,
    await createUser(server.dataSource, { role: 'official', position: 'leader', unitSchoolId: otherSchool.id, countyCode: '411522000000' }),
  );

  const toReopenId = await made(leader, { period: previousReportPeriod(month) });
  await step(leader, toReopenId, 'submit');
  await step(clients.county, toReopenId, 'approve');
  const toApproveId = await made(leader, { period: month });
  await step(leader, toApproveId, 'submit');
  const toReturnId = await made(zhaihe);
  await step(zhaihe, toReturnId, 'submit');
  return {
    schoolReportId: await made(clients.schoolLeader),
    countyReportId: await made(clients.county),
    toApproveId,
    toReturnId,
    toReopenId,
    otherCountyReportId: await made(clients.otherCounty),
    otherSchoolReportId: await made(otherSchoolLeader),
  };
}

const at = (key: RouteKey, id: string) => routes[key].path.replace(':id', id);

export function reportSampleCall(key: RouteKey, r: ReportRecords): Call | null {
  switch (key) {
    case 'reportsMine':
    case 'reportsList':
      return { path: routes[key].path };
    case 'reportsOpen':
      return { path: routes[key].path, body: {} };
    case 'reportsGet':
    case 'reportsExport':
      return { path: at(key, r.schoolReportId) };
    case 'reportsUpdate':
      return { path: at(key, r.countyReportId), body: { explanation: '本季度工作情况说明' } };
    case 'reportsSubmit':
      return { path: at(key, r.countyReportId), body: {} };
    case 'reportsApprove':
      return { path: at(key, r.toApproveId), body: { comment: '同意' } };
    case 'reportsReturn':
      return { path: at(key, r.toReturnId), body: { comment: '请核对新增人数' } };
    case 'reportsReopen':
      return { path: at(key, r.toReopenId), body: { reason: '数据需要更正' } };
    default:
      return null;
  }
}

const ON_A_REPORT: readonly RouteKey[] = [
  'reportsGet',
  'reportsExport',
  'reportsUpdate',
  'reportsSubmit',
  'reportsApprove',
  'reportsReturn',
  'reportsReopen',
];

/** The routes aimed at the other county's report: not found. */
export function reportOutOfScopeCall(key: RouteKey, r: ReportRecords): { call: Call; status: number } | null {
  if (!ON_A_REPORT.includes(key)) return null;
  return { call: { path: at(key, r.otherCountyReportId), body: reportSampleCall(key, r)!.body }, status: 404 };
}

/** Another school's report of the same county: not found for the demo school's leader. */
export function reportSameCountyCalls(key: RouteKey, account: string, r: ReportRecords): Call[] {
  if (!ON_A_REPORT.includes(key) || account !== 'school-leader') return [];
  return [{ path: at(key, r.otherSchoolReportId), body: reportSampleCall(key, r)!.body }];
}
