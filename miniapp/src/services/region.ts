import type { ResponseOf } from '@baoxue/shared';
import { call } from './request';

export type RegionOverview = ResponseOf<'regionOverview'>;
export type RegionFigures = RegionOverview['counties'][number];
export type CountyFigures = ResponseOf<'statsDropout'>;

/** Above the county (市、省教育局): the region's counties, and one county's townships. Figures only. */
export const regionApi = {
  overview: (schoolYear: number) => call('regionOverview', { query: { schoolYear } }),
  county: (schoolYear: number, countyCode: string) => call('statsDropout', { query: { schoolYear, under: countyCode, by: 'township' } }),
};
