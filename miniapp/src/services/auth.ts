import Taro from '@tarojs/taro';
import type { AuthOptions, DesktopCode, Me, RequestBody, SessionResponse } from '@baoxue/shared';
import { clearSession, sessionStore, startSession, updateUser } from '../stores/session';
import { ApiError, call } from './request';

/** Sign-in, the current user and their consent: the session's side of the API. */

let optionsRequest: Promise<AuthOptions> | null = null;

/** How this deployment signs people in; asked once per launch. */
export function getAuthOptions(): Promise<AuthOptions> {
  optionsRequest ??= call('authOptions').catch((error: unknown) => {
    optionsRequest = null;
    throw error;
  });
  return optionsRequest;
}

export async function signInWithWechat(): Promise<Me> {
  const { code } = await Taro.login();
  if (!code) throw new ApiError(0, 'WECHAT_CODE_INVALID', '微信登录失败，请稍后重试');
  return begin(await call('authWechatLogin', { body: { code } }));
}

/** Demo accounts exist only when the server runs in demo or local mode. */
export async function signInWithDemoAccount(account: string): Promise<Me> {
  return begin(await call('authDevLogin', { body: { account } }));
}

/** On a computer (H5): the one-time code the same person got in the mini program. */
export async function signInWithDesktopCode(code: string): Promise<Me> {
  return begin(await call('authDesktopLogin', { body: { code } }));
}

/** In the mini program: a one-time code to sign in on a computer. */
export function createDesktopCode(): Promise<DesktopCode> {
  return call('authDesktopCode');
}

/** Agreement ticked on the sign-in page is recorded as soon as there is someone to record it for. */
async function begin(session: SessionResponse): Promise<Me> {
  startSession(session);
  const { privacyPolicyVersion } = await getAuthOptions();
  if (session.user.privacyConsentVersion === privacyPolicyVersion) return session.user;
  return recordPrivacyConsent(privacyPolicyVersion);
}

export async function signOut(): Promise<void> {
  try {
    await call('authLogout', {}, { redirectOnUnauthorized: false });
  } catch {
    // The session is forgotten here either way; an unreachable server must not keep anyone signed in.
  }
  clearSession();
}

/**
 * The signed-in user, fresh from the server, or null when there is no valid session. Used at
 * launch, so a 401 is an answer here rather than a reason to navigate.
 */
export async function restoreSession(): Promise<Me | null> {
  if (!sessionStore.get().token) return null;
  try {
    const user = await call('me', {}, { redirectOnUnauthorized: false });
    updateUser(user);
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function recordPrivacyConsent(version: string): Promise<Me> {
  const user = await call('mePrivacyConsent', { body: { version } });
  updateUser(user);
  return user;
}

export async function updateProfile(body: RequestBody<'meUpdateProfile'>): Promise<Me> {
  const user = await call('meUpdateProfile', { body });
  updateUser(user);
  return user;
}
