import { isOpenCase, normalizePersonName } from '@baoxue/shared';
import { casesApi, type CaseItem } from '../../services/cases';

/** Enough pages for any township's open cases; a county-wide inbox is searched by status instead. */
const MAX_PAGES = 5;

/**
 * The open cases of the official's inbox that a case could be merged into. The inbox has no name
 * search, so its pages are read once and searched here.
 */
export async function loadMergeCandidates(excludeId: string): Promise<CaseItem[]> {
  const items: CaseItem[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await casesApi.list({ cursor, limit: 100 });
    items.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return items.filter((item) => item.id !== excludeId && isOpenCase(item.status));
}

/** Cases whose child's name contains what was typed, ignoring spaces and middle dots. */
export function matchChildName(items: CaseItem[], typed: string): CaseItem[] {
  const wanted = normalizePersonName(typed.trim());
  if (!wanted) return items;
  return items.filter((item) => normalizePersonName(item.child.name).includes(wanted));
}
