import { CASE_SOURCES, CASE_STATUS_LABELS } from '@baoxue/shared';
import type { CaseItem } from '../services/cases';
import { formatDateTime } from '../utils/format';
import type { Column } from './data-table-types';

/** Case statuses in the order a case moves through them, for sorting by status. */
const STATUS_ORDER = Object.keys(CASE_STATUS_LABELS);

const NUMBER: Column<CaseItem> = {
  key: 'number',
  title: '案件编号',
  width: '128px',
  render: (item) => item.number,
  sortValue: (item) => item.number,
};
const CHILD: Column<CaseItem> = {
  key: 'child',
  title: '孩子',
  width: '72px',
  render: (item) => item.child.name,
  sortValue: (item) => item.child.name,
};
const STATUS: Column<CaseItem> = {
  key: 'status',
  title: '状态',
  width: '104px',
  render: (item) => (
    <>
      {item.overdue && <span className="tag tag-overdue">已超期</span>}
      {item.transferPending && <span className="tag tag-waiting">移交待接收</span>}
      <span className={`tag tag-status-${item.status}`}>{CASE_STATUS_LABELS[item.status]}</span>
    </>
  ),
  sortValue: (item) => (item.overdue ? -1 : STATUS_ORDER.indexOf(item.status)),
};
/** Where the child lives, without the county every case of the list shares (the full place on hover). */
function placeInCounty(place: string | null): string {
  if (!place) return '不清楚';
  const [first, ...rest] = place.split(' ');
  return rest.length && /[县区市旗]$/.test(first!) ? rest.join(' ') : place;
}

const PLACE: Column<CaseItem> = {
  key: 'place',
  title: '居住地',
  render: (item) => <span title={item.place ?? undefined}>{placeInCounty(item.place)}</span>,
  sortValue: (item) => item.place,
};
const SCHOOL: Column<CaseItem> = {
  key: 'school',
  title: '学校',
  render: (item) => item.schoolName ?? '—',
  sortValue: (item) => item.schoolName,
};
const ASSIGNEE: Column<CaseItem> = {
  key: 'assignee',
  title: '包抓干部',
  width: '72px',
  render: (item) => item.assigneeName ?? '未指定',
  sortValue: (item) => item.assigneeName,
};
const SOURCE: Column<CaseItem> = {
  key: 'source',
  title: '来源',
  width: '96px',
  render: (item) => (item.tipCount > 1 ? `${CASE_SOURCES[item.source]}（${item.tipCount}条）` : CASE_SOURCES[item.source]),
  sortValue: (item) => CASE_SOURCES[item.source],
};
const OPENED: Column<CaseItem> = {
  key: 'opened',
  title: '收到时间',
  width: '118px',
  render: (item) => formatDateTime(item.openedAt),
  sortValue: (item) => item.openedAt,
};
const DUE: Column<CaseItem> = {
  key: 'due',
  title: '办理期限',
  width: '118px',
  render: (item) =>
    item.dueAt ? <span className={item.overdue ? 'data-table-error' : undefined}>{formatDateTime(item.dueAt)}</span> : '—',
  sortValue: (item) => item.dueAt,
};

/** The inbox beside its case panel: narrow enough to leave the panel room (newest first is the default order). */
export const INBOX_COLUMNS: readonly Column<CaseItem>[] = [NUMBER, CHILD, STATUS, PLACE, ASSIGNEE, DUE];
/** The county's triage queue: where the tip says the child lives decides the township. */
export const TRIAGE_COLUMNS: readonly Column<CaseItem>[] = [NUMBER, CHILD, STATUS, PLACE, SCHOOL, SOURCE, OPENED, DUE];
/** Cases listed on their own (the dispatch list). */
export const CASE_COLUMNS: readonly Column<CaseItem>[] = [NUMBER, CHILD, STATUS, PLACE, SCHOOL, ASSIGNEE, OPENED, DUE];
