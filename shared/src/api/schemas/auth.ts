import { z } from 'zod';
import { POSITIONS, ROLES } from '../../domain/roles';
import { personNameField, typedCodeField } from '../fields';
import { unitView } from './common';

export const wechatLoginRequest = z.object({
  code: z.string({ error: '缺少微信登录凭证' }).trim().min(1, '缺少微信登录凭证').max(128, '微信登录凭证格式不正确'),
});

export const devLoginRequest = z.object({
  account: z.string({ error: '请选择演示账号' }).min(1, '请选择演示账号').max(64, '演示账号不存在'),
});

export const meResponse = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  displayName: z.string(),
  position: z.enum(POSITIONS).nullable(),
  unit: unitView.nullable(),
  privacyConsentVersion: z.string().nullable(),
});
export type Me = z.infer<typeof meResponse>;

export const sessionResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: meResponse,
});
export type SessionResponse = z.infer<typeof sessionResponse>;

export const demoAccount = z.object({
  account: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  description: z.string(),
});

export const authOptionsResponse = z.object({
  devLogin: z.boolean(),
  demoAccounts: z.array(demoAccount),
  privacyPolicyVersion: z.string(),
});
export type AuthOptions = z.infer<typeof authOptionsResponse>;

export const privacyConsentRequest = z.object({
  version: z.string({ error: '缺少隐私政策版本' }).min(1, '缺少隐私政策版本').max(32, '隐私政策版本不正确'),
});

export const updateProfileRequest = z.object({
  displayName: personNameField,
});

/** A one-time code, shown in the mini program, that signs the same person in on a computer. */
export const desktopCodeResponse = z.object({ code: z.string(), expiresAt: z.string() });
export type DesktopCode = z.infer<typeof desktopCodeResponse>;

export const desktopLoginRequest = z.object({ code: typedCodeField('登录码') });
