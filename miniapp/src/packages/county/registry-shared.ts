import { useEffect, useRef } from 'react';
import { schoolYearOf } from '@baoxue/shared';
import type { Choice } from '../../components/segmented';
import { today } from '../../utils/dates';

/** 2026 → 2026—2027学年: the school year starting that September. */
export function schoolYearLabel(year: number): string {
  return `${year}—${year + 1}学年`;
}

/** The current school year and the two before it, newest first. */
export function recentSchoolYears(): Array<Choice<string>> {
  const current = schoolYearOf(today());
  return [current, current - 1, current - 2].map((year) => ({ value: String(year), label: schoolYearLabel(year) }));
}

/** 0.00421 → 0.42%. */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(2)}%`;
}

/**
 * Calls `tick` every `intervalMs` while `active` (an import or a cross-check still running), and
 * stops when it turns false or the page goes away. A tick starts only after the last one settled.
 */
export function usePolling(active: boolean, tick: () => Promise<unknown>, intervalMs = 1000): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = () => {
      timer = setTimeout(() => {
        void latest
          .current()
          .catch(() => undefined) // a missed poll is retried on the next tick
          .finally(() => {
            if (!stopped) schedule();
          });
      }, intervalMs);
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [active, intervalMs]);
}
