import {
  COMPLAINT_STATUSES,
  formatYuan,
  gradeLabel,
  PAYMENT_CHANNELS,
  PAYMENT_STATUSES,
  SUBSIDY_CATEGORIES,
  schoolYearLabel,
  INVITATION_STATUS_LABELS,
  POSITION_LABELS,
  PRIORITY_GROUPS,
  ROLE_LABELS,
  SCHOOL_STAGE_LABELS,
  type AccountView,
  type InvitationView,
  type SchoolView,
} from '@baoxue/shared';
import type { Column } from '../../../components/data-table-types';
import { ESCALATED_TO_LABELS } from '../../../components/case-labels';
import type { DispatchItem } from '../../../services/case-handling';
import type { Complaint, Eligibility, Payment } from '../../../services/subsidy-office';
import { hoursLabel } from '../../../utils/dates';
import { formatDateTime } from '../../../utils/format';
import { roleTitle, unitName } from '../../../utils/labels';
import type { RowActions } from './county-columns';

/** A button inside a row: it acts without opening the row. */
function RowButton({ label, busy, danger, onClick }: { label: string; busy: boolean; danger?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className={danger ? 'data-table-button data-table-button-danger' : 'data-table-button'}
      disabled={busy}
      onClick={(event) => {
        event.stopPropagation();
        onClick();
      }}
      onKeyDown={(event) => event.stopPropagation()}
    >
      {busy ? '处理中…' : label}
    </button>
  );
}

/** 一日一调度: the overdue steps, one row each. */
export const DISPATCH_COLUMNS: readonly Column<DispatchItem>[] = [
  { key: 'child', title: '孩子', width: '84px', render: (item) => item.childName, sortValue: (item) => item.childName },
  {
    key: 'township',
    title: '乡镇',
    width: '96px',
    render: (item) => item.townshipName ?? '县级待分派',
    sortValue: (item) => item.townshipName ?? '',
  },
  { key: 'due', title: '逾期事项', render: (item) => item.dueLabel, sortValue: (item) => item.dueLabel },
  {
    key: 'overdue',
    title: '已超期',
    width: '96px',
    render: (item) => <span className="data-table-error">{hoursLabel(item.overdueHours)}</span>,
    sortValue: (item) => -item.overdueHours,
  },
  { key: 'dueAt', title: '期限', width: '128px', render: (item) => formatDateTime(item.dueAt), sortValue: (item) => item.dueAt },
  {
    key: 'owner',
    title: '负责人',
    width: '96px',
    render: (item) => item.ownerName ?? '未指定',
    sortValue: (item) => item.ownerName,
  },
  {
    key: 'flags',
    title: '重点与督办',
    render: (item) =>
      [
        ...item.priorityGroups.map((group) => PRIORITY_GROUPS[group]),
        item.escalatedTo ? `已升级到${ESCALATED_TO_LABELS[item.escalatedTo]}督办` : null,
      ]
        .filter(Boolean)
        .join('、') || '—',
  },
];

/** 账号管理. */
export function accountColumns(meId: string | null, toggle: RowActions<AccountView>): readonly Column<AccountView>[] {
  return [
    { key: 'name', title: '姓名', width: '96px', render: (item) => item.displayName, sortValue: (item) => item.displayName },
    { key: 'role', title: '角色', width: '150px', render: (item) => roleTitle(item), sortValue: (item) => roleTitle(item) },
    {
      key: 'unit',
      title: '单位',
      render: (item) => (item.unit ? unitName(item.unit) : '—'),
      sortValue: (item) => (item.unit ? unitName(item.unit) : null),
    },
    {
      key: 'state',
      title: '状态',
      width: '72px',
      render: (item) => (item.disabled ? <span className="tag tag-revoked">已停用</span> : '正常'),
      sortValue: (item) => (item.disabled ? 1 : 0),
    },
    {
      key: 'created',
      title: '注册时间',
      width: '128px',
      render: (item) => formatDateTime(item.createdAt),
      sortValue: (item) => item.createdAt,
    },
    {
      key: 'seen',
      title: '最近使用',
      width: '128px',
      render: (item) => formatDateTime(item.lastSeenAt),
      sortValue: (item) => item.lastSeenAt,
    },
    {
      key: 'actions',
      title: '操作',
      width: '96px',
      render: (item) =>
        item.role === 'county_admin' ? (
          item.id === meId ? (
            '—'
          ) : (
            <span className="data-table-muted">由运维管理</span>
          )
        ) : (
          <RowButton
            label={item.disabled ? '启用' : '停用'}
            danger={!item.disabled}
            busy={toggle.busyId === item.id}
            onClick={() => toggle.run(item)}
          />
        ),
    },
  ];
}

/** 邀请码. */
export function invitationColumns(revoke: RowActions<InvitationView>): readonly Column<InvitationView>[] {
  return [
    {
      key: 'role',
      title: '角色',
      width: '150px',
      render: (item) => `${ROLE_LABELS[item.role]}${item.position ? ` · ${POSITION_LABELS[item.position]}` : ''}`,
      sortValue: (item) => ROLE_LABELS[item.role],
    },
    { key: 'unit', title: '单位', render: (item) => unitName(item.unit), sortValue: (item) => unitName(item.unit) },
    { key: 'hint', title: '尾号', width: '64px', render: (item) => item.codeHint },
    {
      key: 'status',
      title: '状态',
      width: '72px',
      render: (item) => <span className={`tag tag-${item.status}`}>{INVITATION_STATUS_LABELS[item.status]}</span>,
      sortValue: (item) => INVITATION_STATUS_LABELS[item.status],
    },
    { key: 'note', title: '备注', render: (item) => item.note ?? '—' },
    {
      key: 'issued',
      title: '发放',
      width: '200px',
      render: (item) => `${item.issuedByName ?? '系统运维人员'} ${formatDateTime(item.createdAt)}`,
      sortValue: (item) => item.createdAt,
    },
    {
      key: 'expires',
      title: '有效期至',
      width: '128px',
      render: (item) => formatDateTime(item.expiresAt),
      sortValue: (item) => item.expiresAt,
    },
    {
      key: 'used',
      title: '使用',
      width: '180px',
      render: (item) => (item.usedAt ? `${item.usedByName ?? '用户'} ${formatDateTime(item.usedAt)}` : '—'),
      sortValue: (item) => item.usedAt,
    },
    {
      key: 'actions',
      title: '操作',
      width: '80px',
      render: (item) =>
        item.status === 'active' ? (
          <RowButton label="撤销" danger busy={revoke.busyId === item.id} onClick={() => revoke.run(item)} />
        ) : (
          '—'
        ),
    },
  ];
}

/** 学校管理. */
export const SCHOOL_COLUMNS: readonly Column<SchoolView>[] = [
  { key: 'name', title: '学校', render: (item) => item.name, sortValue: (item) => item.name },
  {
    key: 'stage',
    title: '学段',
    width: '96px',
    render: (item) => SCHOOL_STAGE_LABELS[item.stage],
    sortValue: (item) => SCHOOL_STAGE_LABELS[item.stage],
  },
  { key: 'township', title: '乡镇', width: '110px', render: (item) => item.townshipName, sortValue: (item) => item.townshipName },
  { key: 'village', title: '村', width: '150px', render: (item) => item.villageName ?? '—', sortValue: (item) => item.villageName },
  { key: 'address', title: '地址', render: (item) => item.address ?? '—' },
  { key: 'code', title: '学校标识码', width: '120px', render: (item) => item.code ?? '—', sortValue: (item) => item.code },
];

/** 资助投诉. */
export const COMPLAINT_COLUMNS: readonly Column<Complaint>[] = [
  { key: 'child', title: '孩子', width: '84px', render: (item) => item.childName, sortValue: (item) => item.childName },
  {
    key: 'status',
    title: '状态',
    width: '84px',
    render: (item) => (item.overdue ? <span className="tag tag-complaint-overdue">已超期</span> : COMPLAINT_STATUSES[item.status]),
    sortValue: (item) => (item.overdue ? '0' : COMPLAINT_STATUSES[item.status]),
  },
  { key: 'subject', title: '事项', width: '160px', render: (item) => item.subject, sortValue: (item) => item.subject },
  { key: 'text', title: '内容', render: (item) => item.text },
  { key: 'school', title: '学校', width: '160px', render: (item) => item.schoolName ?? '—', sortValue: (item) => item.schoolName },
  {
    key: 'created',
    title: '提出时间',
    width: '128px',
    render: (item) => formatDateTime(item.createdAt),
    sortValue: (item) => item.createdAt,
  },
  { key: 'due', title: '答复期限', width: '128px', render: (item) => formatDateTime(item.dueAt), sortValue: (item) => item.dueAt },
];

/** 资助发放. */
export const PAYMENT_COLUMNS: readonly Column<Payment>[] = [
  { key: 'child', title: '学生', width: '84px', render: (item) => item.childName, sortValue: (item) => item.childName },
  { key: 'amount', title: '金额', width: '96px', render: (item) => formatYuan(item.amountFen), sortValue: (item) => item.amountFen },
  { key: 'semester', title: '学期', width: '150px', render: (item) => item.semesterLabel, sortValue: (item) => item.semesterLabel },
  {
    key: 'status',
    title: '状态',
    width: '72px',
    render: (item) => <span className={`tag tag-payment-${item.status}`}>{PAYMENT_STATUSES[item.status]}</span>,
    sortValue: (item) => PAYMENT_STATUSES[item.status],
  },
  {
    key: 'channel',
    title: '发放渠道',
    width: '150px',
    render: (item) => `${PAYMENT_CHANNELS[item.channel]}${item.cardTail ? `（尾号${item.cardTail}）` : ''}`,
    sortValue: (item) => PAYMENT_CHANNELS[item.channel],
  },
  { key: 'paid', title: '到账日期', width: '110px', render: (item) => item.paidOn ?? '尚未到账', sortValue: (item) => item.paidOn },
  {
    key: 'failure',
    title: '失败原因',
    render: (item) => (item.failureReason ? <span className="data-table-error">{item.failureReason}</span> : '—'),
  },
];

const STAGES = { primary: '小学', junior: '初中' } as const;

/** 资助对象. */
export const ELIGIBILITY_COLUMNS: readonly Column<Eligibility>[] = [
  { key: 'child', title: '学生', width: '84px', render: (item) => item.childName, sortValue: (item) => item.childName },
  { key: 'school', title: '学校', render: (item) => item.schoolName ?? '—', sortValue: (item) => item.schoolName },
  {
    key: 'grade',
    title: '年级',
    width: '84px',
    render: (item) => (item.grade ? gradeLabel(item.grade) : '—'),
    sortValue: (item) => item.grade,
  },
  { key: 'stage', title: '学段', width: '60px', render: (item) => STAGES[item.stage], sortValue: (item) => item.stage },
  {
    key: 'boarding',
    title: '寄宿',
    width: '72px',
    render: (item) => (item.boarding ? '寄宿' : '非寄宿'),
    sortValue: (item) => Number(item.boarding),
  },
  {
    key: 'category',
    title: '困难类别',
    width: '150px',
    render: (item) => SUBSIDY_CATEGORIES[item.category],
    sortValue: (item) => SUBSIDY_CATEGORIES[item.category],
  },
  { key: 'year', title: '学年', width: '110px', render: (item) => schoolYearLabel(item.schoolYear), sortValue: (item) => item.schoolYear },
  {
    key: 'confirmed',
    title: '认定',
    width: '170px',
    render: (item) => `${item.source === 'import' ? '导入' : '手工认定'} ${formatDateTime(item.confirmedAt)}`,
    sortValue: (item) => item.confirmedAt,
  },
];
