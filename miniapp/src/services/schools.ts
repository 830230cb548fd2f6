import type { RequestBody, RequestQuery } from '@baoxue/shared';
import { call } from './request';

export const schoolsApi = {
  list: (query: RequestQuery<'schoolsList'>) => call('schoolsList', { query }),
  get: (id: string) => call('schoolsGet', { params: { id } }),
  create: (body: RequestBody<'schoolsCreate'>) => call('schoolsCreate', { body }),
  update: (id: string, body: RequestBody<'schoolsUpdate'>) => call('schoolsUpdate', { params: { id }, body }),
};
