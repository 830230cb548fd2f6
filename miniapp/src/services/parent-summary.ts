import { call } from './request';

/**
 * The parent home's counts: bound children, enrolment notices still to acknowledge, unread school
 * notices. Apart from parents.ts so that only this much of the parent's client is in the main package.
 */
export async function parentSummary(): Promise<{ children: number; enrolmentPending: number; schoolUnread: number }> {
  const [children, enrolment, school] = await Promise.all([
    call('childrenMine'),
    call('enrolmentMine'),
    call('schoolNoticesMine', { query: { limit: 1 } }),
  ]);
  return {
    children: children.items.length,
    enrolmentPending: enrolment.items.filter((notice) => notice.actions.includes('acknowledge')).length,
    schoolUnread: school.unread,
  };
}
