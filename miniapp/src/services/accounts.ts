import type { RequestQuery } from '@baoxue/shared';
import { call } from './request';

export const accountsApi = {
  list: (query: RequestQuery<'accountsList'>) => call('accountsList', { query }),
  setDisabled: (id: string, disabled: boolean) => call('accountsUpdate', { params: { id }, body: { disabled } }),
};
