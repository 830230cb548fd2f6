import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../services/request';
import { showError } from '../utils/feedback';

export interface ActionOptions {
  /**
   * Where a failure is told, with the server's Chinese message: 'modal' (default) in a dialog,
   * 'inline' in `error` for the page to show beside the button (with `retry`).
   */
  errorIn?: 'modal' | 'inline';
  /** Keeps the button busy after a success, when what holds it is about to go away (a reload drops it). */
  staysBusy?: boolean;
}

export interface Action<A extends unknown[]> {
  busy: boolean;
  /** The arguments of the call in flight: which row's button spins. */
  running: A | null;
  /** The last failure's message with errorIn 'inline'; cleared by the next run. */
  error: string | null;
  /** Runs the action unless it is already running; never rejects. */
  run: (...args: A) => Promise<void>;
  /** Runs the last call again. */
  retry: () => Promise<void>;
}

/** A button's work: busy while it runs, a second tap ignored, a failure told once. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, options: ActionOptions = {}): Action<A> {
  const { errorIn = 'modal', staysBusy = false } = options;
  const [running, setRunning] = useState<A | null>(null);
  const [error, setError] = useState<string | null>(null);
  // State lags a render behind a double tap; the ref does not.
  const inFlight = useRef(false);
  const last = useRef<A | null>(null);
  const latest = useRef(action);
  latest.current = action;

  const run = useCallback(
    async (...args: A) => {
      if (inFlight.current) return;
      inFlight.current = true;
      last.current = args;
      setRunning(args);
      setError(null);
      let succeeded = false;
      try {
        await latest.current(...args);
        succeeded = true;
      } catch (failure) {
        if (errorIn === 'inline') setError(messageOf(failure));
        else showError(failure);
      }
      if (succeeded && staysBusy) return;
      inFlight.current = false;
      setRunning(null);
    },
    [errorIn, staysBusy],
  );

  const retry = useCallback(() => (last.current ? run(...last.current) : Promise.resolve()), [run]);

  return { busy: running !== null, running, error, run, retry };
}
