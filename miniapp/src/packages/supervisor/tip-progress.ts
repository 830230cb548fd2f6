import { TIP_MILESTONES } from '@baoxue/shared';
import type { TipMilestone, TipMilestoneView } from '@baoxue/shared';

/** The path a tip's case normally takes; `unfounded` ends it early instead. */
export const TIP_PROGRESS: readonly TipMilestone[] = ['received', 'assigned', 'visited', 'returned', 'closed'];

/**
 * The furthest milestone reached, as a few words for a list: by the case's progress, not by date —
 * a tip that joined a case already accepted was received after the case's acceptance, yet its
 * progress is the case's.
 */
export function latestMilestone(milestones: readonly TipMilestoneView[]): string {
  const rank = (kind: TipMilestone) => (kind === 'unfounded' ? TIP_PROGRESS.length : TIP_PROGRESS.indexOf(kind));
  const furthest = milestones.reduce<TipMilestone>((best, m) => (rank(m.kind) > rank(best) ? m.kind : best), 'received');
  return TIP_MILESTONES[furthest];
}
