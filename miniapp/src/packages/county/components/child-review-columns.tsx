import type { Column } from '../../../components/data-table-types';
import type { ChildReview } from '../../../services/children';

/**
 * 疑似重复儿童 as a desktop table exists only in the H5 build (child-review-columns.h5.tsx): the mini
 * program always shows the phone cards, so its build carries none of it.
 */
export const CHILD_REVIEW_COLUMNS: readonly Column<ChildReview>[] = [];
