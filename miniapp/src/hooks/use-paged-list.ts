import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../services/request';
import { useChangeCount } from './use-change-count';
import { useStableCallback } from './use-stable-callback';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T, P extends Page<unknown> = Page<T>> {
  items: T[];
  /** The latest page as the server sent it, for what it says beside the items (counts, totals). */
  lastPage: P | null;
  error: string | null;
  loading: boolean;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  reload: () => Promise<void>;
  /** Replaces one item after an edit, without reloading the list. */
  replace: (item: T, same: (a: T, b: T) => boolean) => void;
}

/** A keyset-paginated list: the first page on `deps` change, further pages on demand. */
export function usePagedList<P extends Page<unknown>, T = P['items'][number]>(
  fetchPage: (cursor: string | undefined) => Promise<P>,
  deps: readonly unknown[],
): PagedList<T, P> {
  const [items, setItems] = useState<T[]>([]);
  const [lastPage, setLastPage] = useState<P | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const fetcher = useStableCallback(fetchPage);
  const changes = useChangeCount(deps);

  const load = useCallback(
    async (after: string | undefined) => {
      const ticket = ++latest.current;
      setLoading(true);
      setError(null);
      try {
        const page = await fetcher(after);
        if (ticket !== latest.current) return;
        setItems((current) => (after ? [...current, ...(page.items as T[])] : (page.items as T[])));
        setLastPage(page);
        setCursor(page.nextCursor);
      } catch (failure) {
        if (ticket === latest.current) setError(messageOf(failure));
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    },
    [fetcher],
  );

  useEffect(() => {
    void load(undefined);
  }, [load, changes]);

  return {
    items,
    lastPage,
    error,
    loading,
    hasMore: cursor !== null,
    loadMore: () => (cursor && !loading ? load(cursor) : Promise.resolve()),
    reload: () => load(undefined),
    replace: (item, same) => setItems((current) => current.map((existing) => (same(existing, item) ? item : existing))),
  };
}
