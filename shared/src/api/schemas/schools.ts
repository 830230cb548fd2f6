import { z } from 'zod';
import { SCHOOL_STAGES } from '../../domain/schools';
import { divisionCodeField, pageOf, pageQuery, textField } from '../fields';

export const schoolView = z.object({
  id: z.string(),
  name: z.string(),
  stage: z.enum(SCHOOL_STAGES),
  /** 学校标识码 (10 digits) from the education statistics system, when known. */
  code: z.string().nullable(),
  townshipCode: z.string(),
  townshipName: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  countyCode: z.string(),
  address: z.string().nullable(),
});
export type SchoolView = z.infer<typeof schoolView>;

const schoolCodeField = z
  .string()
  .overwrite((v) => v.normalize('NFKC').trim())
  .regex(/^\d{10}$/, '学校标识码应为10位数字');

export const createSchoolRequest = z.object({
  name: textField('学校名称', 50, 4),
  stage: z.enum(SCHOOL_STAGES, { error: '请选择学段（小学、初中或九年一贯制）' }),
  code: schoolCodeField.nullable().default(null),
  /** The township (or a village inside it) the school belongs to. */
  divisionCode: divisionCodeField,
  address: textField('地址', 100).nullable().default(null),
});
export type CreateSchoolRequest = z.input<typeof createSchoolRequest>;

export const updateSchoolRequest = z
  .object({
    name: textField('学校名称', 50, 4),
    stage: z.enum(SCHOOL_STAGES, { error: '请选择学段（小学、初中或九年一贯制）' }),
    code: schoolCodeField.nullable(),
    divisionCode: divisionCodeField,
    address: textField('地址', 100).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, '没有需要修改的内容');

export const listSchoolsQuery = pageQuery.extend({
  /** County, township or village: the schools inside it. */
  under: divisionCodeField.optional(),
  stage: z.enum(SCHOOL_STAGES, { error: '学段不正确' }).optional(),
  q: z.string().trim().max(20, '搜索词最多20个字').optional(),
  /** Only the schools whose cases the caller handles (a township's own, a school its own): filters and pickers of case work. */
  actionable: z.enum(['true'], { error: '应为 true' }).optional(),
});

export const schoolPageResponse = pageOf(schoolView);
