import { useRef } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

/**
 * Runs when the page is shown again after it was hidden, e.g. back from a page that changed what it
 * lists. Keyed on the hide, not on a count of shows: a component that mounts once its data has
 * loaded (after the page's first show) would otherwise take the first return for the first show
 * and stay stale until the page is reopened.
 */
export function useOnReturn(callback: () => void): void {
  const hidden = useRef(false);
  useDidHide(() => {
    hidden.current = true;
  });
  useDidShow(() => {
    if (!hidden.current) return;
    hidden.current = false;
    callback();
  });
}
