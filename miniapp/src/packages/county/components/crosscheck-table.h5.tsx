import { useState } from 'react';
import { View } from '@tarojs/components';
import { gradeLabel } from '@baoxue/shared';
import { CASE_COLUMNS } from '../../../components/case-columns.h5';
import type { Column } from '../../../components/data-table-types';
import type { CaseItem } from '../../../services/cases';
import { registryApi, type ReviewPair } from '../../../services/registry';
import { messageOf } from '../../../services/request';
import { confirm, toastSuccess } from '../../../utils/feedback';
import type { DecideActions, Decision, ReviewBulkDecideProps } from './crosscheck-table';
import './crosscheck-table.h5.css';

/** The cases a kind of check opened: the county's case columns. */
export const SOURCE_CASE_COLUMNS: readonly Column<CaseItem>[] = CASE_COLUMNS;

const DECIDED: Record<ReviewPair['status'], string> = { pending: '待确认', same: '是同一人', different: '不是同一人，已立案' };

/** A button inside a row: it acts without opening or selecting the row. */
function RowButton({ label, busy, primary, onClick }: { label: string; busy: boolean; primary?: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      className={primary ? 'data-table-button data-table-button-primary' : 'data-table-button'}
      disabled={busy}
      onClick={(event) => {
        event.stopPropagation();
        onClick();
      }}
      onKeyDown={(event) => event.stopPropagation()}
    >
      {label}
    </button>
  );
}

/** 人工确认: the household child and the pupil side by side, one pair a row, with the decision. */
export function reviewPairColumns(decide: DecideActions): readonly Column<ReviewPair>[] {
  return [
    { key: 'reason', title: '相近之处', render: (pair) => pair.reason, sortValue: (pair) => pair.reason },
    {
      key: 'householdName',
      title: '户籍姓名',
      width: '84px',
      render: (pair) => pair.household.name,
      sortValue: (pair) => pair.household.name,
    },
    {
      key: 'householdBirth',
      title: '户籍出生日期',
      width: '110px',
      render: (pair) => pair.household.birthDate,
      sortValue: (pair) => pair.household.birthDate,
    },
    {
      key: 'householdVillage',
      title: '户籍村',
      width: '110px',
      render: (pair) => pair.household.villageName ?? '不详',
      sortValue: (pair) => pair.household.villageName,
    },
    { key: 'pupilName', title: '学籍姓名', width: '84px', render: (pair) => pair.pupil.name, sortValue: (pair) => pair.pupil.name },
    {
      key: 'pupilBirth',
      title: '学籍出生日期',
      width: '110px',
      render: (pair) => pair.pupil.birthDate ?? '不详',
      sortValue: (pair) => pair.pupil.birthDate,
    },
    {
      key: 'pupilSchool',
      title: '学校年级',
      render: (pair) => `${pair.pupil.schoolName ?? '学校不详'}${pair.pupil.grade ? ` · ${gradeLabel(pair.pupil.grade)}` : ''}`,
      sortValue: (pair) => pair.pupil.schoolName,
    },
    {
      key: 'status',
      title: '确认',
      width: '230px',
      render: (pair) =>
        pair.status === 'pending' ? (
          <View className="review-row-actions">
            <RowButton label="不是同一人" busy={decide.busyId === pair.id} onClick={() => decide.run(pair, 'different')} />
            <RowButton label="是同一人" primary busy={decide.busyId === pair.id} onClick={() => decide.run(pair, 'same')} />
          </View>
        ) : (
          `${DECIDED[pair.status]}${pair.decidedByName ? `（${pair.decidedByName}）` : ''}`
        ),
      sortValue: (pair) => DECIDED[pair.status],
    },
  ];
}

interface Refusal {
  id: string;
  name: string;
  message: string;
}

const BULK_QUESTIONS: Record<Decision, (count: number) => string> = {
  same: (count) => `确认所选 ${count} 对中，户籍中的孩子就是学籍中的学生？确认后不再列入失学名单。`,
  different: (count) => `确认所选 ${count} 对都不是同一人？户籍中的孩子将按失学立案，分派到户籍所在乡镇核查。`,
};

/**
 * 批量确认: the selected pairs decided the same way. There is no bulk endpoint: each pair is decided
 * by its own request, as one at a time would be, so each keeps its own record and a refusal (e.g. a
 * pair someone else decided meanwhile) touches only that pair; the pairs refused stay selected with
 * their reasons.
 */
export function ReviewBulkDecide({ pairs, onDone }: ReviewBulkDecideProps) {
  const [busy, setBusy] = useState(false);
  const [refusals, setRefusals] = useState<Refusal[]>([]);

  const run = async (decision: Decision) => {
    if (pairs.length === 0) return;
    const title = decision === 'same' ? '是同一人' : '不是同一人';
    if (!(await confirm(title, BULK_QUESTIONS[decision](pairs.length), '确认'))) return;
    setBusy(true);
    const decided: ReviewPair[] = [];
    const refused: string[] = [];
    const reasons: Refusal[] = [];
    try {
      // one after another, as a person deciding the pairs one by one would
      for (const pair of pairs) {
        try {
          decided.push(await registryApi.decide(pair.id, decision));
        } catch (failure) {
          refused.push(pair.id);
          reasons.push({ id: pair.id, name: `${pair.household.name} / ${pair.pupil.name}`, message: messageOf(failure) });
        }
      }
    } finally {
      setBusy(false);
    }
    setRefusals(reasons);
    if (decided.length > 0) toastSuccess(`已确认 ${decided.length} 对`);
    onDone(decided, refused);
  };

  return (
    <>
      <button type="button" className="data-table-button" disabled={busy} onClick={() => void run('different')}>
        {busy ? '处理中…' : '批量确认不是同一人'}
      </button>
      <button type="button" className="data-table-button data-table-button-primary" disabled={busy} onClick={() => void run('same')}>
        {busy ? '处理中…' : '批量确认是同一人'}
      </button>
      {refusals.length > 0 && (
        <View className="review-bulk-refusals" role="alert">
          <View>以下 {refusals.length} 对没有确认，仍保留选择：</View>
          {refusals.map((refusal) => (
            <View key={refusal.id} className="data-table-error">
              {refusal.name}：{refusal.message}
            </View>
          ))}
        </View>
      )}
    </>
  );
}
