import type { RequestQuery } from '@baoxue/shared';
import { call, upload } from './request';

export const divisionsApi = {
  served: () => call('divisionsServed'),
  get: (code: string) => call('divisionsGet', { params: { code } }),
  children: (code: string) => call('divisionsChildren', { params: { code } }),
  search: (query: RequestQuery<'divisionsSearch'>) => call('divisionsSearch', { query }),
  importFile: (file: { filePath: string; fileName: string }) => upload('divisionsImport', file),
};
