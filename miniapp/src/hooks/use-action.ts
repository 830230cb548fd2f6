import { useCallback, useRef, useState } from 'react';
import { messageOf } from '../services/request';
import { showError } from '../utils/feedback';

export interface ActionOptions {
  /**
   * Where a failure is told, with the server's Chinese message: 'modal' (default) in a dialog,
   * 'inline' in `error` for the page to show beside the button (with `retry`).
   */
  errorIn?: 'modal' | 'inline';
  /** The inline message for a failure (e.g. the server's message for one field); the server's message by default. */
  describe?: (failure: unknown) => string;
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
  /** Forgets the inline message, e.g. once the person edits what it was about. */
  clearError: () => void;
}

/** A button's work: busy while it runs, a second tap ignored, a failure told once. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<unknown>, options: ActionOptions = {}): Action<A> {
  const { errorIn = 'modal', staysBusy = false, describe = messageOf } = options;
  const [running, setRunning] = useState<A | null>(null);
  const [error, setError] = useState<string | null>(null);
  // State lags a render behind a double tap; the ref does not.
  const inFlight = useRef(false);
  const last = useRef<A | null>(null);
  const latest = useRef({ action, describe });
  latest.current = { action, describe };

  // Promises rather than async/await: this hook is in the main package, where regenerator code costs.
  const run = useCallback(
    (...args: A): Promise<void> => {
      if (inFlight.current) return Promise.resolve();
      inFlight.current = true;
      last.current = args;
      setRunning(args);
      setError(null);
      const settle = () => {
        inFlight.current = false;
        setRunning(null);
      };
      // Started within the tap (WeChat asks for some permissions only there); a throw is a failure too.
      return new Promise((resolve) => resolve(latest.current.action(...args))).then(
        () => {
          if (!staysBusy) settle();
        },
        (failure: unknown) => {
          if (errorIn === 'inline') setError(latest.current.describe(failure));
          else showError(failure);
          settle();
        },
      );
    },
    [errorIn, staysBusy],
  );

  const retry = useCallback(() => (last.current ? run(...last.current) : Promise.resolve()), [run]);

  const clearError = useCallback(() => setError(null), []);

  return { busy: running !== null, running, error, run, retry, clearError };
}
