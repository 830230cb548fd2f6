import { z } from 'zod';
import { DIVISION_LEVELS } from '../../validators/division-code';
import { divisionCodeField, entityId } from '../fields';

export const unitRef = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('division'), code: divisionCodeField }), z.object({ kind: z.literal('school'), schoolId: entityId })],
  { error: '请选择所属单位（行政区划或学校）' },
);
export type UnitRef = z.infer<typeof unitRef>;

export const unitView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('division'),
    code: z.string(),
    name: z.string(),
    fullName: z.string(),
    level: z.enum(DIVISION_LEVELS as [string, ...string[]]),
  }),
  z.object({
    kind: z.literal('school'),
    schoolId: z.string(),
    name: z.string(),
    townshipCode: z.string(),
    countyCode: z.string(),
  }),
]);
export type UnitView = z.infer<typeof unitView>;

export const okResponse = z.object({ ok: z.literal(true) });

export const idParam = z.object({ id: entityId });
