import type { CaseStatus, RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { call } from './request';
import { withPhotoUrl } from './tips';

export type CasePage = ResponseOf<'casesList'>;
export type CaseItem = CasePage['items'][number];
export type CaseDetailView = ResponseOf<'casesGet'>;
export type Assignee = ResponseOf<'casesAssignees'>['items'][number];

/** A case as pages use it: its tips' photo links loadable by <Image>. */
export function withCasePhotos(detail: CaseDetailView): CaseDetailView {
  return { ...detail, tips: detail.tips.map(withPhotoUrl) };
}

export const withPhotos = async (pending: Promise<CaseDetailView>): Promise<CaseDetailView> => withCasePhotos(await pending);

export const casesApi = {
  list: (query: RequestQuery<'casesList'>) => call('casesList', { query }),
  triage: (query: RequestQuery<'casesTriage'>) => call('casesTriage', { query }),
  get: (id: string) => withPhotos(call('casesGet', { params: { id } })),
  assignees: (id: string) => call('casesAssignees', { params: { id } }),
  accept: (id: string, body: RequestBody<'casesAccept'>) => withPhotos(call('casesAccept', { params: { id }, body })),
  route: (id: string, body: RequestBody<'casesRoute'>) => withPhotos(call('casesRoute', { params: { id }, body })),
  returnToTriage: (id: string, reason: string) => withPhotos(call('casesReturnToTriage', { params: { id }, body: { reason } })),
  merge: (id: string, body: RequestBody<'casesMerge'>) => withPhotos(call('casesMerge', { params: { id }, body })),
  /** Splitting is a tip's route; its answer is the new case. */
  splitTip: (tipId: string, reason: string) => withPhotos(call('tipsSplit', { params: { id: tipId }, body: { reason } })),
};

/** A count from one page of at most 100: "100+" when there are more. */
export interface Count {
  value: number;
  more: boolean;
}

const countOf = (page: CasePage): Count => ({ value: page.items.length, more: page.nextCursor !== null });

export function formatCount({ value, more }: Count): string {
  return more ? `${value}+` : String(value);
}

/** What an official's home shows about their inbox: cases waiting to be accepted, and overdue ones. */
export async function inboxSummary(): Promise<{ pending: Count; overdue: number }> {
  const reported: CaseStatus = 'reported';
  const [pending, all] = await Promise.all([casesApi.list({ status: reported, limit: 100 }), casesApi.list({ limit: 1 })]);
  return { pending: countOf(pending), overdue: all.overdueCount };
}

/** What a county admin's home shows about the triage queue. */
export async function triageSummary(): Promise<{ waiting: Count; overdue: number }> {
  const page = await casesApi.triage({ limit: 100 });
  return { waiting: countOf(page), overdue: page.overdueCount };
}
