import { useRef, useState, type KeyboardEvent } from 'react';
import { Button, View } from '@tarojs/components';
import { useDesktop } from '../hooks/use-desktop';
import type { Column, DataTableProps } from './data-table-types';
import { Empty, ErrorNotice, Loading } from './status';
import './data-table.h5.css';

export type { Column, DataTableProps } from './data-table-types';

type Sort = { key: string; direction: 'ascending' | 'descending' } | null;

/**
 * A list on H5: at desktop widths a data table (sortable columns, row selection with a bulk-action
 * bar, keyboard navigation: ↑/↓ move between rows, Enter opens, space selects), below them the same
 * phone cards as the mini program.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const desktop = useDesktop();
  return desktop ? <Table {...props} /> : <Cards {...props} />;
}

function Cards<T>({ items, list, empty = null, card }: DataTableProps<T>) {
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

function blank(value: string | number | null | undefined): boolean {
  return value === null || value === undefined || value === '';
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'zh-CN');
}

function Table<T>({
  label,
  items,
  list,
  empty = null,
  rowKey,
  columns,
  onOpen,
  activeKey,
  selected,
  onSelect,
  bulkActions,
  toolbar,
  rowAlert,
}: DataTableProps<T>) {
  const [sort, setSort] = useState<Sort>(null);
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  const loaded = items ?? list?.items ?? [];

  // a page of rows: sorting it on each render costs nothing worth remembering
  const rows = (() => {
    const column = sort && columns.find((candidate) => candidate.key === sort.key);
    if (!sort || !column?.sortValue) return loaded;
    const value = column.sortValue;
    const sign = sort.direction === 'ascending' ? 1 : -1;
    // Array.prototype.sort is stable: equal rows keep the server's order; rows without a value go last.
    return [...loaded].sort((a, b) => {
      const [first, second] = [value(a), value(b)];
      if (blank(first) || blank(second)) return Number(blank(first)) - Number(blank(second));
      return sign * compare(first!, second!);
    });
  })();

  const selectable = Boolean(onSelect);
  const chosen = new Set(selected ?? []);
  const allChosen = rows.length > 0 && rows.every((row) => chosen.has(rowKey(row)));
  const someChosen = rows.some((row) => chosen.has(rowKey(row)));
  // a selected row that a reload removed (e.g. routed) no longer counts
  const chosenCount = rows.filter((row) => chosen.has(rowKey(row))).length;

  const toggle = (key: string) => {
    if (!onSelect) return;
    onSelect(chosen.has(key) ? [...chosen].filter((existing) => existing !== key) : [...chosen, key]);
  };
  const toggleAll = () => {
    if (!onSelect) return;
    const keys = rows.map(rowKey);
    onSelect(allChosen ? [...chosen].filter((key) => !keys.includes(key)) : [...new Set([...chosen, ...keys])]);
  };

  const sortBy = (column: Column<T>) =>
    setSort((current) =>
      current?.key !== column.key
        ? { key: column.key, direction: 'ascending' }
        : current.direction === 'ascending'
          ? { key: column.key, direction: 'descending' }
          : null,
    );

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const row = rows[index]!;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = rows[index + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next) rowRefs.current.get(rowKey(next))?.focus();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onOpen?.(row);
    } else if (event.key === ' ' && selectable) {
      event.preventDefault();
      toggle(rowKey(row));
    }
  };

  return (
    <View className="data-table-block">
      {toolbar && <View className="data-table-toolbar">{toolbar}</View>}
      {selectable && chosenCount > 0 && (
        <View className="data-table-bulk" role="region" aria-label="批量操作">
          <View className="data-table-bulk-count">已选 {chosenCount} 项</View>
          {bulkActions}
          <button type="button" className="data-table-button" onClick={() => onSelect?.([])}>
            取消选择
          </button>
        </View>
      )}
      {list?.error && <ErrorNotice message={list.error} onRetry={() => void list.reload()} />}
      <table className="data-table" aria-label={label}>
        <thead>
          <tr>
            {selectable && (
              <th className="data-table-check" scope="col">
                <input
                  type="checkbox"
                  aria-label="全选"
                  checked={allChosen}
                  ref={(element) => {
                    if (element) element.indeterminate = someChosen && !allChosen;
                  }}
                  onChange={toggleAll}
                />
              </th>
            )}
            {columns.map((column) => {
              const sorted = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.className}
                  style={column.width ? { width: column.width } : undefined}
                  aria-sort={column.sortValue ? (sorted ?? 'none') : undefined}
                >
                  {column.sortValue ? (
                    <button type="button" className="data-table-sort" onClick={() => sortBy(column)}>
                      {column.title}
                      <span className="data-table-sort-mark" aria-hidden="true">
                        {sorted === 'ascending' ? '▲' : sorted === 'descending' ? '▼' : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.title
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => {
            const key = rowKey(row);
            const classes = onOpen ? ['data-table-row', 'data-table-row-opens'] : ['data-table-row'];
            if (key === activeKey) classes.push('data-table-row-active');
            if (chosen.has(key)) classes.push('data-table-row-selected');
            if (rowAlert?.(row)) classes.push('data-table-row-alert');
            return (
              <tr
                key={key}
                ref={(element) => {
                  if (element) rowRefs.current.set(key, element);
                  else rowRefs.current.delete(key);
                }}
                className={classes.join(' ')}
                tabIndex={0}
                aria-selected={selectable ? chosen.has(key) : undefined}
                aria-current={key === activeKey ? 'true' : undefined}
                onClick={() => onOpen?.(row)}
                onKeyDown={(event) => onKeyDown(event, index)}
              >
                {selectable && (
                  <td className="data-table-check" onClick={(event) => event.stopPropagation()}>
                    <input type="checkbox" aria-label="选择此行" checked={chosen.has(key)} tabIndex={-1} onChange={() => toggle(key)} />
                  </td>
                )}
                {columns.map((column) => {
                  const cell = column.render(row);
                  // a cell cut short with … shows its whole text on hover
                  return (
                    <td key={column.key} className={column.className} title={typeof cell === 'string' ? cell : undefined}>
                      {cell}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      {empty !== null && !list?.loading && !list?.error && rows.length === 0 && <Empty text={empty} />}
      {list?.loading && <Loading />}
      {(rows.length > 0 || list?.hasMore) && (
        <View className="data-table-footer">
          <View className="data-table-count">
            已显示 {rows.length} 条{list?.hasMore ? '，还有更多' : '，已全部显示'}
          </View>
          {list?.hasMore && !list.loading && (
            <button type="button" className="data-table-button" onClick={() => void list.loadMore()}>
              加载更多
            </button>
          )}
        </View>
      )}
    </View>
  );
}
