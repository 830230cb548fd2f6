import { Button } from '@tarojs/components';
import type { DataTableProps } from './data-table-types';
import { Empty, ErrorNotice, Loading } from './status';

export type { Column, DataTableProps } from './data-table-types';

/**
 * A list as phone cards, with its error, empty text, 加载中 and 加载更多. The mini program (this file)
 * never shows the desktop table: the H5 build takes data-table.h5.tsx, which renders the same props
 * as a table at desktop widths and as these cards below them.
 */
export function DataTable<T>({ items, list, empty = null, card }: DataTableProps<T>) {
  const rows = items ?? list?.items ?? [];
  return (
    <>
      {list?.error && <ErrorNotice message={list.error} onRetry={() => void list.reload()} />}
      {empty !== null && !list?.loading && !list?.error && rows.length === 0 && <Empty text={empty} />}
      {rows.map(card)}
      {list?.loading && <Loading />}
      {list?.hasMore && !list.loading && (
        <Button className="btn btn-plain btn-block" onClick={() => void list.loadMore()}>
          加载更多
        </Button>
      )}
    </>
  );
}
