import Taro from '@tarojs/taro';
import type { Me, SessionResponse } from '@baoxue/shared';
import { createStore } from './create-store';

/**
 * Who is signed in. The token and the last known user survive restarts in storage so a returning
 * user sees their home at once; the entry page refreshes the user from the server.
 */
export interface Session {
  token: string | null;
  expiresAt: string | null;
  user: Me | null;
}

const STORAGE_KEY = 'baoxue.session';
const signedOut: Session = { token: null, expiresAt: null, user: null };

function readStored(): Session {
  try {
    const stored = Taro.getStorageSync<Session | ''>(STORAGE_KEY);
    if (!stored || !stored.token || !stored.expiresAt) return signedOut;
    if (Date.parse(stored.expiresAt) <= Date.now()) return signedOut;
    return { token: stored.token, expiresAt: stored.expiresAt, user: stored.user ?? null };
  } catch {
    return signedOut;
  }
}

export const sessionStore = createStore<Session>(readStored());

function save(next: Session): void {
  sessionStore.set(next);
  if (next.token) Taro.setStorageSync(STORAGE_KEY, next);
  else Taro.removeStorageSync(STORAGE_KEY);
}

export function startSession({ token, expiresAt, user }: SessionResponse): void {
  save({ token, expiresAt, user });
}

export function updateUser(user: Me): void {
  const current = sessionStore.get();
  if (current.token) save({ ...current, user });
}

export function clearSession(): void {
  save(signedOut);
}
