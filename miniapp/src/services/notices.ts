import type { ResponseOf } from '@baoxue/shared';
import { call } from './request';

/** A formal notice to a guardian (《限期返校通知书》), as the parent receives it. */
export type FormalNotice = ResponseOf<'noticesMine'>['items'][number];

export const noticesApi = {
  /** Only notices about children bound to the signed-in person. */
  mine: () => call('noticesMine'),
  /** 回执: the parent confirms they received it. */
  acknowledge: (id: string) => call('noticesAcknowledge', { params: { id } }),
};
