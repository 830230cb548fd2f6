import type { ReactNode } from 'react';
import type { Page, PagedList } from '../hooks/use-paged-list';

/** One column of a desktop data table. */
export interface Column<T> {
  key: string;
  /** The header label. */
  title: string;
  render: (item: T) => ReactNode;
  /**
   * Makes the column sortable. The list endpoints page by a keyset cursor and take no sort order, so
   * a sort orders the rows loaded so far (加载更多 adds rows and keeps the order).
   */
  sortValue?: (item: T) => string | number | null | undefined;
  /** A CSS width for the column in pixels, e.g. `'96px'` (an inline style: Taro's pxtransform leaves it alone). */
  width?: string;
  className?: string;
}

export interface DataTableProps<T> {
  /** Names the table for screen readers, e.g. 案件列表. */
  label: string;
  /** The rows; a paged list's items when omitted. */
  items?: readonly T[];
  /** The list's state: its error with 重试, 加载中 and 加载更多 with the count loaded. */
  list?: PagedList<T, Page<unknown>>;
  /** Said when the list loaded empty; null when the page says it another way. */
  empty?: string | null;
  rowKey: (item: T) => string;
  columns: readonly Column<T>[];
  /** One item as a phone card, with its key: the mini program, and H5 below 1024 px. */
  card: (item: T) => ReactNode;
  /** Opens a row (click, or Enter on a focused row). */
  onOpen?: (item: T) => void;
  /** The row shown beside the table (the side panel's case). */
  activeKey?: string | null;
  /** Row selection: the keys selected, and what to do when they change. */
  selected?: readonly string[];
  onSelect?: (keys: string[]) => void;
  /** What can be done with the selection (shown while rows are selected), e.g. 批量分派. */
  bulkActions?: ReactNode;
  /** The filter controls above the table. */
  toolbar?: ReactNode;
  /** A row that needs attention first (e.g. overdue) is marked. */
  rowAlert?: (item: T) => boolean;
}
