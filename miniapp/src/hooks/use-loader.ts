import { useCallback, useEffect, useRef, useState } from 'react';
import { messageOf } from '../services/request';
import { useChangeCount } from './use-change-count';
import { useStableCallback } from './use-stable-callback';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload: () => Promise<void>;
  /** Shows data that came another way (e.g. the answer to an edit) without loading again. */
  set: (data: T) => void;
}

/**
 * Loads data for a page and reloads it when `deps` change. `load` returning null means there is
 * nothing to load yet (e.g. the user is still being restored). A reload calls the latest `load`.
 */
export function useLoader<T>(load: () => Promise<T> | null, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const run = useStableCallback(load);
  const changes = useChangeCount(deps);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    const pending = run();
    if (!pending) {
      setLoading(false);
      return;
    }
    setLoading(true);
    setError(null);
    try {
      const result = await pending;
      if (ticket === latest.current) setData(result);
    } catch (failure) {
      if (ticket === latest.current) setError(messageOf(failure));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [run]);

  useEffect(() => {
    void reload();
  }, [reload, changes]);

  const set = useCallback((next: T) => {
    latest.current++;
    setData(next);
    setError(null);
    setLoading(false);
  }, []);

  return { data, error, loading, reload, set };
}
