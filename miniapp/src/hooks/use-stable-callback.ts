import { useCallback, useRef } from 'react';

/**
 * A function of stable identity that always calls the latest `callback`: for effects that must run
 * when their data changes, not each time a parent renders a new inline callback.
 */
export function useStableCallback<A extends unknown[], R>(callback: (...args: A) => R): (...args: A) => R {
  const latest = useRef(callback);
  latest.current = callback;
  return useCallback((...args: A) => latest.current(...args), []);
}
