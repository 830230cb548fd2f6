import { z } from 'zod';
import { isDivisionCode, normalizeDivisionCode } from '../validators/division-code';
import { parseIdNumber } from '../validators/id-number';
import { normalizeName, normalizeText } from '../validators/normalize';
import { parseStudentNumber } from '../validators/student-number';

/** Field schemas shared by many requests; each carries its own Chinese message. */

// Whatever a schema does not word itself (a body that is not an object, a missing nested object)
// is still answered in Chinese: zod's own messages in its Simplified Chinese locale.
z.config(z.locales.zhCN());

export const divisionCodeField = z
  .string({ error: '请选择行政区划' })
  .overwrite(normalizeDivisionCode)
  .refine(isDivisionCode, '区划代码应为12位数字');

export const idNumberField = z
  .string({ error: '请填写身份证号' })
  .superRefine((value, ctx) => {
    const result = parseIdNumber(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  })
  .overwrite((value) => {
    const result = parseIdNumber(value);
    return result.ok ? result.value : value;
  });

export const studentNumberField = z
  .string({ error: '请填写学籍号' })
  .superRefine((value, ctx) => {
    const result = parseStudentNumber(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
  })
  .overwrite((value) => {
    const result = parseStudentNumber(value);
    return result.ok ? result.value : value;
  });

export const entityId = z.uuid({ error: '编号格式不正确' });

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const personNameField = z
  .string({ error: '请填写姓名' })
  .overwrite(normalizeName)
  .min(2, '姓名至少2个字')
  .max(20, '姓名最多20个字')
  .refine((v) => !CONTROL_CHARACTERS.test(v), '姓名包含不可见的控制字符');

/** A child's name as a tipster knows it: may be a single character or a nickname (小红). */
export function nameField(label: string, max: number) {
  return z
    .string({ error: `请填写${label}` })
    .overwrite(normalizeName)
    .min(1, `请填写${label}`)
    .max(max, `${label}最多${max}个字`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), `${label}包含不可见的控制字符`);
}

/** Free text a person typed: normalised, bounded, no control characters. */
export function textField(label: string, max: number, min = 1) {
  return z
    .string({ error: `请填写${label}` })
    .overwrite(normalizeText)
    .min(min, min === 1 ? `请填写${label}` : `${label}至少${min}个字`)
    .max(max, `${label}最多${max}个字`)
    .refine((v) => !CONTROL_CHARACTERS.test(v), `${label}包含不可见的控制字符`);
}

/** A code people copy from paper or read aloud: case, spaces and dashes do not matter. */
export function typedCodeField(label: string) {
  return z
    .string({ error: `请输入${label}` })
    .overwrite((v) => v.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase())
    .min(1, `请输入${label}`)
    .max(16, `${label}格式不正确`);
}

export const isoDateTime = z.string();

/** Keyset pagination: an opaque cursor in, the next cursor out (null when this was the last page). */
export const pageQuery = z.object({
  cursor: z.string().max(200, '分页参数不正确').optional(),
  limit: z.coerce.number({ error: '每页条数应为数字' }).int('每页条数应为整数').min(1, '每页至少1条').max(100, '每页最多100条').default(20),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
