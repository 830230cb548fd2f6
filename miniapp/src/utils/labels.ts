import { DIVISION_LEVEL_LABELS, POSITION_LABELS, ROLE_LABELS } from '@baoxue/shared';
import type { DivisionLevel, Me, UnitView } from '@baoxue/shared';

/** 工作人员 · 包抓干部 — the role, with the position for officials. */
export function roleTitle(user: Pick<Me, 'role' | 'position'>): string {
  const role = ROLE_LABELS[user.role];
  return user.position ? `${role} · ${POSITION_LABELS[user.position]}` : role;
}

/** The unit a user or invitation belongs to, as a person would say it. */
export function unitName(unit: UnitView | null): string {
  if (!unit) return '未归属单位';
  return unit.kind === 'division' ? unit.fullName : unit.name;
}

export function unitKindLabel(unit: UnitView): string {
  return unit.kind === 'division' ? (DIVISION_LEVEL_LABELS[unit.level as DivisionLevel] ?? '行政区划') : '学校';
}

/** `吴明村民委员会` → `吴明村`, `十里街道社区居民委员会` → `十里街道社区`: names as villagers say them. */
export function shortDivisionName(name: string): string {
  return name.replace(/村民委员会$/, '村').replace(/居民委员会$/, '');
}
