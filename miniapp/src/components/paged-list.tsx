import type { ReactNode } from 'react';
import { Button } from '@tarojs/components';
import type { PagedList as PagedListState, Page } from '../hooks/use-paged-list';
import { Empty, ErrorNotice, Loading } from './status';

interface Props<T> {
  list: PagedListState<T, Page<unknown>>;
  /** Said when the list loaded empty; null when the page says it another way. */
  empty: string | null;
  /** One item, with its key. */
  children: (item: T) => ReactNode;
}

/** A list from usePagedList: its error with 重试, its empty text, the items, 加载中 and 加载更多. */
export function PagedList<T>({ list, empty, children }: Props<T>) {
  return (
    <>
      {list.error && <ErrorNotice message={list.error} onRetry={() => void list.reload()} />}
      {empty !== null && !list.loading && !list.error && list.items.length === 0 && <Empty text={empty} />}
      {list.items.map(children)}
      {list.loading && <Loading />}
      {list.hasMore && !list.loading && (
        <Button className="btn btn-plain btn-block" onClick={() => void list.loadMore()}>
          加载更多
        </Button>
      )}
    </>
  );
}
