import { z } from 'zod';
import { POSITIONS, ROLES } from '../../domain/roles';
import { pageOf, pageQuery } from '../fields';
import { unitView } from './common';

export const accountView = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  position: z.enum(POSITIONS).nullable(),
  unit: unitView.nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
  lastSeenAt: z.string().nullable(),
});
export type AccountView = z.infer<typeof accountView>;

export const listAccountsQuery = pageQuery.extend({
  role: z.enum(ROLES, { error: '身份不正确' }).optional(),
  /** Part of the account's name (accounts hold no phone number: WeChat signs them in). */
  q: z.string().trim().max(20, '搜索词最多20个字').optional(),
});
export const accountPageResponse = pageOf(accountView);

export const updateAccountRequest = z.object({
  disabled: z.boolean({ error: '请选择启用或停用' }),
});
