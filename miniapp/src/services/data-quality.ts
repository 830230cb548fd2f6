import type { DataQualityRule, Me, ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type DataQualityFlags = ResponseOf<'dataQuality'>;

/** 数据质量: the records of the caller's county (or township) that look fabricated or impossible, by rule. */
export const dataQualityApi = {
  get: (query: { from?: string; to?: string; rule?: DataQualityRule; page?: number }) => call('dataQuality', { query }),
};

/** Who may open the page (the server's `read_data_quality`): the county admin and a township's leader. */
export function canReadDataQuality(user: Me): boolean {
  if (user.role === 'county_admin') return true;
  return user.role === 'official' && user.unit?.kind === 'division' && user.unit.level === 'township' && user.position === 'leader';
}
