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

/** Who an overdue step has climbed to (一日一调度: one level of the hierarchy at a time). */
export const ESCALATED_TO_LABELS: Record<'leader' | 'county', string> = {
  leader: '乡镇负责人',
  county: '县教育局',
};
