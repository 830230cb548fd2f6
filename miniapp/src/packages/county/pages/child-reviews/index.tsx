import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import {
  CASE_STATUS_LABELS,
  CHILD_MATCH_REASONS,
  CHILD_RECORD_SOURCES,
  CHILD_SEXES,
  decideChildReviewRequest,
  gradeLabel,
  splitMergeRequest,
} from '@baoxue/shared';
import { PriorityTags } from '../../../../components/case-card';
import { DataTable } from '../../../../components/data-table';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { useDesktop } from '../../../../hooks/use-desktop';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { PAGES } from '../../../../routes';
import { childrenApi, type ChildRecord, type ChildReview, type ChildReviewStatus } from '../../../../services/children';
import { ApiError } from '../../../../services/request';
import { showError, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import { CHILD_REVIEW_COLUMNS } from '../../components/child-review-columns';
import '../../../../components/field.css';
import '../../registry.css';
import '../../child-reviews.css';

const STATUS_TABS: ReadonlyArray<Choice<ChildReviewStatus>> = [
  { value: 'pending', label: '待确认' },
  { value: 'confirmed', label: '已确认' },
  { value: 'rejected', label: '已否定' },
];

const EMPTY: Record<ChildReviewStatus, string> = {
  pending: '没有需要确认的记录',
  confirmed: '还没有确认合并的记录',
  rejected: '还没有否定的记录',
};

/** The two sides of a pair: the record a report landed on, and the one the county already knew. */
const SIDE_LABELS = { child: '新登记的记录', candidate: '已有的记录' } as const;
type Side = keyof typeof SIDE_LABELS;

type Dialog = { kind: 'confirm'; survivor: Side } | { kind: 'reject' } | { kind: 'split'; mergeId: string };

/**
 * One child, one record (BRIEF §3a): two records that may be one child (the same name and age in a
 * neighbouring village, an ID number reported with another name…) wait here. The county admin, or
 * a township leader for the children of the township, says whether they are one child: the records
 * are merged, or kept as two children. A wrong merge can be split again. Every decision has a reason.
 */
export default function ChildReviewsPage() {
  const [status, setStatus] = useState<ChildReviewStatus>('pending');
  const reviews = usePagedList((cursor) => childrenApi.reviews({ status, cursor, limit: 20 }), [status]);
  // at a desk the pairs are a table; a row opens its comparison and decision above it
  const desktop = useDesktop();
  const [openId, setOpenId] = useState<string | null>(null);
  const opened = desktop ? reviews.items.find((review) => review.id === openId) : undefined;
  const card = (review: ChildReview) => (
    <ReviewCard
      key={review.id}
      review={review}
      onDecided={(decided) => reviews.replace(decided, (a, b) => a.id === b.id)}
      onReload={() => void reviews.reload()}
    />
  );
  return (
    <Screen className="list-page child-reviews-page">
      <Text className="section-note">
        同一个孩子可能因线索、名册等不同来源被登记成两条记录。请核对两边的信息：是同一儿童就合并为一条记录，案件、监护人、学籍、出勤和资助等随之合并；不是就保留为两个孩子。合并错了可以拆分。
      </Text>
      <Segmented choices={STATUS_TABS} value={status} onChange={setStatus} />
      {opened && (
        <View className="child-review-opened" role="region" aria-label="核对这对记录">
          {card(opened)}
          <Button className="btn btn-plain btn-small" onClick={() => setOpenId(null)}>
            收起
          </Button>
        </View>
      )}
      <DataTable<ChildReview>
        label="疑似重复儿童"
        list={reviews}
        empty={EMPTY[status]}
        rowKey={(review) => review.id}
        columns={CHILD_REVIEW_COLUMNS}
        onOpen={(review) => setOpenId(review.id)}
        activeKey={opened?.id ?? null}
        card={card}
      />
    </Screen>
  );
}

function ReviewCard({
  review,
  onDecided,
  onReload,
}: {
  review: ChildReview;
  onDecided: (review: ChildReview) => void;
  onReload: () => void;
}) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  /** Someone decided or split first (409), or a record left the caller's part of the county (404): say so, show the list as it is. */
  const act = async (action: () => Promise<void>) => {
    try {
      await action();
    } catch (failure) {
      if (!(failure instanceof ApiError) || (failure.status !== 404 && failure.status !== 409)) throw failure;
      setDialog(null);
      showError(failure);
      onReload();
    }
  };
  const survivorOf = (side: Side) => review[side].id;
  // after a confirmation: the record that stayed is the one the other now points to
  const stayed: Side | null =
    review.child.mergedIntoId === review.candidate.id ? 'candidate' : review.candidate.mergedIntoId === review.child.id ? 'child' : null;

  return (
    <View className="card list-item review-card child-review">
      <Text className="review-reason">{CHILD_MATCH_REASONS[review.reason]}</Text>
      <Text className="list-item-meta">
        发现来源：{CHILD_RECORD_SOURCES[review.source]} · {formatDateTime(review.createdAt)}
      </Text>
      <View className="review-sides">
        {(['child', 'candidate'] as const).map((side) => (
          <RecordSide key={side} label={SIDE_LABELS[side]} record={review[side]} stayed={stayed === null ? null : stayed === side} />
        ))}
      </View>
      {review.status === 'pending' ? (
        <View className="inline-actions">
          <Button className="btn btn-plain btn-small" onClick={() => setDialog({ kind: 'reject' })}>
            不是同一儿童
          </Button>
          <Button className="btn btn-primary btn-small" onClick={() => setDialog({ kind: 'confirm', survivor: suggestedSurvivor(review) })}>
            是同一儿童（合并）
          </Button>
        </View>
      ) : (
        <View className="review-decision">
          <Text className={`review-decided review-decided-${review.status}`}>
            {review.status === 'confirmed' ? '已确认是同一儿童，两条记录已合并' : '已确认不是同一儿童，保留为两个孩子'}
          </Text>
          <Text className="list-item-meta">
            {[review.decidedByName, review.decidedAt ? formatDateTime(review.decidedAt) : null].filter(Boolean).join(' · ')}
          </Text>
          {review.decisionNote && <Text className="history-note">理由：{review.decisionNote}</Text>}
          {review.status === 'confirmed' && review.mergeId && (
            <View className="inline-actions">
              <Text className="split-hint">合并错了可以拆分，恢复为两条记录</Text>
              <Button className="btn btn-plain btn-small" onClick={() => setDialog({ kind: 'split', mergeId: review.mergeId! })}>
                拆分
              </Button>
            </View>
          )}
        </View>
      )}

      {dialog?.kind === 'confirm' && (
        <ReasonDialog
          title="是同一儿童：合并两条记录"
          note="合并后只保留一条记录，另一条记录的案件、监护人、学籍、出勤和资助等都并入保留的记录，原来的链接仍能打开。合并错了可以拆分。"
          placeholder="例如：核对了学籍和户口本，是同一个孩子"
          confirmText="合并"
          schema={decideChildReviewRequest}
          extra={{ decision: 'confirm', survivorId: survivorOf(dialog.survivor) }}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) =>
            act(async () => {
              const decided = await childrenApi.decide(review.id, { decision: 'confirm', reason, survivorId: survivorOf(dialog.survivor) });
              setDialog(null);
              onDecided(decided);
              toastSuccess('已合并');
            })
          }
        >
          <SurvivorChoice review={review} value={dialog.survivor} onChange={(survivor) => setDialog({ kind: 'confirm', survivor })} />
        </ReasonDialog>
      )}
      {dialog?.kind === 'reject' && (
        <ReasonDialog
          title="不是同一儿童"
          note="两条记录将保留为两个孩子，这对记录不再列入待确认。"
          placeholder="例如：出生日期和父母姓名都不同，是两个孩子"
          confirmText="确认"
          schema={decideChildReviewRequest}
          extra={{ decision: 'reject' }}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) =>
            act(async () => {
              const decided = await childrenApi.decide(review.id, { decision: 'reject', reason });
              setDialog(null);
              onDecided(decided);
              toastSuccess('已确认');
            })
          }
        />
      )}
      {dialog?.kind === 'split' && (
        <ReasonDialog
          title="拆分合并的记录"
          note="拆分后两条记录恢复为合并前的样子：合并时并入的案件、监护人、出勤等回到原来的记录，因合并而并在一起的案件重新分开。这对记录将改为“不是同一儿童”。"
          placeholder="例如：核实后发现是同名的两个孩子"
          confirmText="拆分"
          schema={splitMergeRequest}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) =>
            act(async () => {
              await childrenApi.split(dialog.mergeId, reason);
              setDialog(null);
              onReload();
              void Taro.showModal({
                title: '已拆分',
                content: '两条记录已恢复为两个孩子。这对记录已移到“已否定”。',
                showCancel: false,
                confirmText: '知道了',
              });
            })
          }
        />
      )}
    </View>
  );
}

/** One record of the pair, as an official compares it with the other: identifiers masked. */
function RecordSide({ label, record, stayed }: { label: string; record: ChildRecord; stayed: boolean | null }) {
  const openCase = record.openCase;
  return (
    <View className="review-side">
      <View className="record-side-head">
        <Text className="review-side-label">{label}</Text>
        {stayed === true && <Text className="tag tag-sent">保留</Text>}
        {stayed === false && <Text className="tag tag-expired">已并入</Text>}
      </View>
      <Text className="list-item-title">{record.name}</Text>
      <Text className="list-item-line">{[sexLabel(record), birthLabel(record)].join(' · ')}</Text>
      <Text className="list-item-meta">{record.idNumberMasked ? `身份证 ${record.idNumberMasked}` : '没有身份证号'}</Text>
      <Text className="list-item-line">{schoolLabel(record)}</Text>
      <Text className="list-item-line">{record.place ?? '住址不详'}</Text>
      <PriorityTags groups={record.priorityGroups} />
      {openCase ? (
        <Text className="link record-case" onClick={() => openPage(PAGES.officialCase, { id: openCase.id })}>
          在办案件：{CASE_STATUS_LABELS[openCase.status]} ›
        </Text>
      ) : (
        <Text className="list-item-meta">没有在办案件</Text>
      )}
    </View>
  );
}

/** Which record stays after the merge; the roster record is suggested (it carries the school line). */
function SurvivorChoice({ review, value, onChange }: { review: ChildReview; value: Side; onChange: (side: Side) => void }) {
  const suggested = suggestedSurvivor(review);
  return (
    <View className="survivor-choice">
      <Text className="field-label">合并后保留哪条记录？</Text>
      {(['child', 'candidate'] as const).map((side) => {
        const record = review[side];
        return (
          <View
            key={side}
            className={side === value ? 'survivor-option survivor-option-active' : 'survivor-option'}
            onClick={() => onChange(side)}
          >
            <Text className="survivor-check">{side === value ? '●' : '○'}</Text>
            <View className="survivor-text">
              <Text className="survivor-title">
                保留{SIDE_LABELS[side]}
                {side === suggested ? '（建议）' : ''}
              </Text>
              <Text className="list-item-meta">
                {record.name} · {record.onRoster ? '学籍在册' : '无学籍'} · {record.idNumberMasked ? '有身份证号' : '没有身份证号'}
              </Text>
            </View>
          </View>
        );
      })}
    </View>
  );
}

/** As the server chooses by default: the roster record, else the one with an ID number, else the one known before. */
function suggestedSurvivor(review: ChildReview): Side {
  const rank = (record: ChildRecord) => (record.onRoster ? 2 : 0) + (record.idNumberMasked ? 1 : 0);
  return rank(review.child) > rank(review.candidate) ? 'child' : 'candidate';
}

function sexLabel(record: ChildRecord): string {
  return record.sex === 'unknown' ? '性别不清楚' : CHILD_SEXES[record.sex];
}

function birthLabel(record: ChildRecord): string {
  if (record.birthDate) return `${record.birthDate} 出生`;
  return record.birthYear ? `${record.birthYear}年出生` : '出生日期不详';
}

function schoolLabel(record: ChildRecord): string {
  const grade = record.grade ? gradeLabel(record.grade) : null;
  if (record.onRoster) return `学籍：${[record.schoolName ?? '学校不详', grade].filter(Boolean).join(' ')}`;
  return record.schoolName ? `无学籍（报告的学校：${record.schoolName}）` : '无学籍';
}
