import { useRef } from 'react';
import { useDidShow } from '@tarojs/taro';

/** Runs when the page is shown again, e.g. back from a page that changed what it lists. */
export function useOnReturn(callback: () => void): void {
  const shownBefore = useRef(false);
  useDidShow(() => {
    if (shownBefore.current) callback();
    shownBefore.current = true;
  });
}
