import type { Me, ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type Dashboard = ResponseOf<'dashboard'>;

export const dashboardApi = {
  get: () => call('dashboard'),
};

/** Whose home opens with the dashboard (the server's `read_dashboard`): the county admin, a township's leader. */
export function hasDashboard(user: Me): boolean {
  if (user.role === 'county_admin') return true;
  return user.role === 'official' && user.unit?.kind === 'division' && user.unit.level === 'township' && user.position === 'leader';
}
