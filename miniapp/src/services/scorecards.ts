import type { Me, ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type Scorecard = ResponseOf<'scorecards'>;
export type ScorecardTable = Scorecard['by'];

/** 考核排名: the townships (or schools) of the caller's county, or a region's counties, for a period. */
export const scorecardsApi = {
  get: (query: { by?: ScorecardTable; from?: string; to?: string }) => call('scorecards', { query }),
};

/** Who may open the scorecard (the server's `read_scorecard`): the county admin, a township's leader, a region admin. */
export function canReadScorecards(user: Me): boolean {
  if (user.role === 'county_admin' || user.role === 'region_admin') return true;
  return user.role === 'official' && user.unit?.kind === 'division' && user.unit.level === 'township' && user.position === 'leader';
}
