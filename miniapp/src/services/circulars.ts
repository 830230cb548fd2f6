import type { RequestBody, RequestQuery, ResponseOf } from '@baoxue/shared';
import { downloadFile } from './download';
import { call } from './request';

export type Circular = ResponseOf<'circularsGet'>;
export type CircularSummary = ResponseOf<'circularsList'>['items'][number];

/** 通报: the county publishes a scorecard; township leaders and schools read what they were sent. */
export const circularsApi = {
  publish: (body: RequestBody<'circularsPublish'>) => call('circularsPublish', { body }),
  list: (query: RequestQuery<'circularsList'>) => call('circularsList', { query }),
  mine: (query: RequestQuery<'circularsMine'>) => call('circularsMine', { query }),
  get: (id: string) => call('circularsGet', { params: { id } }),
  pdf: (circular: Pick<Circular, 'id' | 'number' | 'title'>) =>
    downloadFile('circularsPdf', { params: { id: circular.id }, fileName: `${circular.number}${circular.title}.pdf` }),
};
