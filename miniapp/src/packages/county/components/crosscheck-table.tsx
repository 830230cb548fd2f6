import type { ReactNode } from 'react';
import type { Column } from '../../../components/data-table-types';
import type { CaseItem } from '../../../services/cases';
import type { ReviewPair } from '../../../services/registry';

export type Decision = 'same' | 'different';

/** What a review row's buttons do, and which pair is being decided. */
export interface DecideActions {
  run: (pair: ReviewPair, decision: Decision) => void;
  busyId: string | null;
}

export interface ReviewBulkDecideProps {
  /** The pending pairs selected. */
  pairs: ReviewPair[];
  /** Each pair the server decided, and the ids of those it refused (they stay selected). */
  onDone: (decided: ReviewPair[], refused: string[]) => void;
}

/**
 * 四查三比对's desktop tables exist only in the H5 build (crosscheck-table.h5.tsx): the mini program
 * always shows the phone cards, so its build carries none of them.
 */
export const SOURCE_CASE_COLUMNS: readonly Column<CaseItem>[] = [];

export function reviewPairColumns(decide: DecideActions): readonly Column<ReviewPair>[] {
  void decide;
  return [];
}

export function ReviewBulkDecide(props: ReviewBulkDecideProps): ReactNode {
  void props;
  return null;
}
