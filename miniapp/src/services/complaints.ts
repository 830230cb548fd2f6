import type { ComplaintView, RequestBody } from '@baoxue/shared';
import { ApiError, call } from './request';

/**
 * 资助投诉: a parent raises one from a payment or a semester's entitlement; the county's
 * student-aid office accepts and answers it; the parent closes it or raises it again. Only the
 * parent and county subpackages use this.
 */
export type { ComplaintView };

export const complaintsApi = {
  create: (body: RequestBody<'complaintsCreate'>) => call('complaintsCreate', { body }),
  mine: () => call('complaintsMine'),
  get: (id: string) => call('complaintsGet', { params: { id } }),
  transition: (id: string, body: RequestBody<'complaintsTransition'>) => call('complaintsTransition', { params: { id }, body }),
};

/** The complaint as it is now, when a step was refused because it changed meanwhile (409); null otherwise. */
export function conflictingComplaint(error: unknown): ComplaintView | null {
  if (!(error instanceof ApiError) || error.code !== 'CONFLICT' || !error.current) return null;
  return error.current as ComplaintView;
}
