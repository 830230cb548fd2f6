import type { EnrolmentBatch, FollowUp } from '../../../services/enrolment-follow-up';

export interface FollowUpTablesProps {
  view: FollowUp;
  /** The batch chosen; reminders need one. */
  batch: EnrolmentBatch | null;
  reload: () => Promise<void>;
}

/**
 * The follow-up lists as tables with 批量提醒家长 exist only in the H5 build (follow-up-tables.h5.tsx):
 * the mini program always shows the phone cards, so its build carries none of it.
 */
export function FollowUpTables(props: FollowUpTablesProps): null {
  void props;
  return null;
}
