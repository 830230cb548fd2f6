import type { ReactNode } from 'react';
import type { Me } from '@baoxue/shared';
import type { PagedList } from '../../../hooks/use-paged-list';
import type { CaseItem, CasePage } from '../../../services/cases';

export interface InboxDesktopProps {
  user: Me;
  /** The case the URL names (`?case=`), shown in the panel at first. */
  initialCaseId: string | null;
  /** Search and filters. */
  toolbar: ReactNode;
  /** Shown above the table (transfers waiting for this unit). */
  above: ReactNode;
  /** Overdue cases first, then the paged list. */
  items: CaseItem[];
  list: PagedList<CaseItem, CasePage>;
  empty: string | null;
  /** Shown under the table (e.g. that only the first 100 overdue cases are listed). */
  below: ReactNode;
  /** Something in the panel changed the case: the lists reload. */
  onChanged: () => void;
}

/**
 * The desktop inbox (list left, case right) exists only in the H5 build (inbox-desktop.h5.tsx):
 * the mini program is never that wide, so it carries none of it.
 */
export function InboxDesktop(props: InboxDesktopProps): null {
  void props;
  return null;
}
