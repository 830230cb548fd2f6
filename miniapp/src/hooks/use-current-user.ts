import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import type { Me } from '@baoxue/shared';
import { PAGES } from '../routes';
import { restoreSession } from '../services/auth';
import { sessionStore } from '../stores/session';
import { useStore } from './use-store';

/**
 * The signed-in user for a page that needs one. A page opened directly (a shared link, an H5
 * reload) may have a token but no user yet, or no session at all: load the user or go to sign-in.
 */
export function useCurrentUser(): Me | null {
  const { token, user } = useStore(sessionStore);

  useEffect(() => {
    if (user) return;
    if (!token) {
      void Taro.reLaunch({ url: PAGES.login });
      return;
    }
    restoreSession()
      .then((restored) => {
        if (!restored) void Taro.reLaunch({ url: PAGES.login });
      })
      .catch(() => {
        // The entry page shows connection problems and offers a retry.
        void Taro.reLaunch({ url: PAGES.entry });
      });
  }, [token, user]);

  return user;
}
