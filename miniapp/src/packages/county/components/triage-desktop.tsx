import type { PagedList } from '../../../hooks/use-paged-list';
import type { CaseItem, CasePage } from '../../../services/cases';

export interface TriageDesktopProps {
  /** The county whose townships the cases go to; null for a caller who may only look. */
  countyCode: string | null;
  queue: PagedList<CaseItem, CasePage>;
}

/**
 * The triage queue as a table with 批量分派 exists only in the H5 build (triage-desktop.h5.tsx): the
 * mini program is never desktop-wide, so it carries none of it.
 */
export function TriageDesktop(props: TriageDesktopProps): null {
  void props;
  return null;
}
