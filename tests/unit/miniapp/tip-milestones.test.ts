import type { TipMilestoneView } from '@baoxue/shared';
import { latestMilestone } from '../../../miniapp/src/packages/supervisor/tip-progress';

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
const milestone = (kind: TipMilestoneView['kind'], day: number, note: string | null = null): TipMilestoneView => ({
  kind,
  at: at(day),
  note,
});

/** The progress a supervisor's list shows for a tip (packages/supervisor/tip-progress.ts). */
describe('a tip’s latest milestone', () => {
  it('is the furthest step of the case, also for a tip received after the case was accepted and visited', () => {
    // the second tip about a child: received on the 10th, its case accepted on the 3rd and visited on the 5th
    expect(latestMilestone([milestone('received', 10), milestone('assigned', 3), milestone('visited', 5)])).toBe('已家访');
    expect(latestMilestone([milestone('received', 1), milestone('assigned', 2)])).toBe('已受理');
    expect(latestMilestone([milestone('received', 1)])).toBe('已收到');
    expect(latestMilestone([])).toBe('已收到');
  });

  it('ends at 非辍学 when the case was closed as not a dropout', () => {
    expect(latestMilestone([milestone('received', 9), milestone('assigned', 2), milestone('unfounded', 4, '正常在校')])).toBe(
      '经核实非辍学',
    );
  });
});
