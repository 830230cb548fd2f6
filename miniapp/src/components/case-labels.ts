import type { RoutingView } from '@baoxue/shared';

/** Why a case went where it did, as the routing history shows it. */
export const ROUTING_RULE_LABELS: Record<RoutingView['rule'], string> = {
  village: '按居住村自动分派',
  township: '按居住乡镇自动分派',
  no_place: '居住地不清楚，转县级分派',
  outside_served: '居住地不在本系统服务的县，转县级分派',
  manual: '县教育局人工分派',
  returned_by_township: '乡镇退回县级分派',
  merged: '合并案件',
};

/**
 * What a case detail's `actions` may offer the caller. Revealing a tipster and splitting a tip out
 * are open to every official who may see the case, so they are not listed there.
 */
export const CaseAction = {
  accept: 'accept',
  returnToTriage: 'return_to_triage',
  merge: 'merge',
  route: 'route',
} as const;
