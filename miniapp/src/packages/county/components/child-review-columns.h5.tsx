import { CHILD_MATCH_REASONS, CHILD_RECORD_SOURCES, gradeLabel } from '@baoxue/shared';
import type { Column } from '../../../components/data-table-types';
import type { ChildRecord, ChildReview } from '../../../services/children';
import { formatDateTime } from '../../../utils/format';

const STATUSES: Record<ChildReview['status'], string> = { pending: '待确认', confirmed: '已合并', rejected: '不是同一儿童' };

function birth(record: ChildRecord): string {
  return record.birthDate ?? (record.birthYear ? `${record.birthYear}年` : '不详');
}

function school(record: ChildRecord): string {
  const grade = record.grade ? gradeLabel(record.grade) : null;
  if (record.onRoster) return [record.schoolName ?? '学校不详', grade].filter(Boolean).join(' ');
  return record.schoolName ? `无学籍（报：${record.schoolName}）` : '无学籍';
}

/** One side of the pair: its name, birth and school, in three columns. */
function side(key: 'child' | 'candidate', label: string): Column<ChildReview>[] {
  return [
    {
      key: `${key}Name`,
      title: `${label}姓名`,
      width: '96px',
      render: (review) => review[key].name,
      sortValue: (review) => review[key].name,
    },
    {
      key: `${key}Birth`,
      title: '出生',
      width: '96px',
      render: (review) => birth(review[key]),
      sortValue: (review) => review[key].birthDate ?? review[key].birthYear,
    },
    {
      key: `${key}School`,
      title: '学籍',
      render: (review) => school(review[key]),
      sortValue: (review) => school(review[key]),
    },
  ];
}

/** 疑似重复儿童: one pair a row, the new record and the one already known side by side; a row opens the comparison. */
export const CHILD_REVIEW_COLUMNS: readonly Column<ChildReview>[] = [
  {
    key: 'reason',
    title: '疑似原因',
    render: (review) => CHILD_MATCH_REASONS[review.reason],
    sortValue: (review) => CHILD_MATCH_REASONS[review.reason],
  },
  ...side('child', '新登记'),
  ...side('candidate', '已有'),
  {
    key: 'source',
    title: '发现来源',
    width: '96px',
    render: (review) => CHILD_RECORD_SOURCES[review.source],
    sortValue: (review) => CHILD_RECORD_SOURCES[review.source],
  },
  {
    key: 'created',
    title: '发现时间',
    width: '128px',
    render: (review) => formatDateTime(review.createdAt),
    sortValue: (review) => review.createdAt,
  },
  {
    key: 'status',
    title: '状态',
    width: '104px',
    render: (review) => STATUSES[review.status],
    sortValue: (review) => STATUSES[review.status],
  },
];
