import type { AccountView, InvitationView, SchoolView } from '@baoxue/shared';
import type { Column } from '../../../components/data-table-types';
import type { DispatchItem } from '../../../services/case-handling';
import type { Complaint, Eligibility, Payment } from '../../../services/subsidy-office';

/** What a row's buttons do, and which row is busy. */
export interface RowActions<T> {
  run: (item: T) => void;
  busyId: string | null;
}

/**
 * The county pages' desktop table columns exist only in the H5 build (county-columns.h5.tsx): the
 * mini program always shows the phone cards, so its build carries none of them.
 */
export const DISPATCH_COLUMNS: readonly Column<DispatchItem>[] = [];
export const SCHOOL_COLUMNS: readonly Column<SchoolView>[] = [];
export const COMPLAINT_COLUMNS: readonly Column<Complaint>[] = [];
export const PAYMENT_COLUMNS: readonly Column<Payment>[] = [];
export const ELIGIBILITY_COLUMNS: readonly Column<Eligibility>[] = [];

export function accountColumns(meId: string | null, toggle: RowActions<AccountView>): readonly Column<AccountView>[] {
  void meId;
  void toggle;
  return [];
}

export function invitationColumns(revoke: RowActions<InvitationView>): readonly Column<InvitationView>[] {
  void revoke;
  return [];
}
