/** What a section measured: figures with their repeats, each beside a baseline from the same run. */

export type Better = 'higher' | 'lower';

export interface Series {
  label: string;
  unit: string;
  samples: number[];
}

export interface Goal {
  text: string;
  met: boolean;
  /** How far from the goal, in words, when it is missed. */
  miss?: string;
  /** The baseline's same statistic misses the goal too: no product reaches it on this machine. */
  baselineMisses?: boolean;
}

export interface Figure {
  label: string;
  unit: string;
  better: Better;
  samples: number[];
  /** The same work done the bare way in the same run; the ratio is product ÷ baseline (medians). */
  baseline?: Series;
  goals: Goal[];
}

export interface SectionResult {
  key: string;
  title: string;
  /** How the figures were made: sizes, concurrency, durations. */
  setup: string[];
  figures: Figure[];
  /** Findings: what bounds a figure, what was profiled, what was changed. */
  notes: string[];
  /** Extra tables (e.g. package sizes), already in Markdown. */
  tables?: string[];
  error?: string;
}

export function median(values: number[]): number {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function min(values: number[]): number {
  return values.length ? Math.min(...values) : Number.NaN;
}

export function max(values: number[]): number {
  return values.length ? Math.max(...values) : Number.NaN;
}

/** Percentile of raw observations (nearest rank). */
export function percentile(values: number[] | Float64Array, p: number): number {
  if (!values.length) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function ratio(figure: Figure): number | null {
  if (!figure.baseline) return null;
  const base = median(figure.baseline.samples);
  return base ? median(figure.samples) / base : null;
}

/**
 * A goal "at most `limit`" on the median of the samples (a p99 figure is itself a percentile).
 * `baseline`: the same statistic of the bare baseline in the same run. When the baseline misses the
 * limit too, the goal is out of reach of any product on this machine, and a miss says so.
 */
export function atMost(value: number, limit: number, unit: string, what = 'median', baseline?: number): Goal {
  const met = value <= limit;
  const bare =
    baseline === undefined
      ? ''
      : baseline > limit
        ? `; the baseline's own ${what}, ${fmt(baseline)} ${unit}, misses it too`
        : `; the baseline's ${what} is ${fmt(baseline)} ${unit}`;
  return {
    text: `≤ ${fmt(limit)} ${unit}`,
    met,
    miss: met
      ? undefined
      : `${what} ${fmt(value)} ${unit} is ${fmt(value - limit)} ${unit} (${fmt((value / limit - 1) * 100)} %) over${bare}`,
    baselineMisses: baseline !== undefined && baseline > limit,
  };
}

/** A goal on the ratio to the baseline: product ÷ baseline ≥ `least` (or ≤ for "lower is better"). */
export function ratioGoal(figure: Figure, bound: number): Goal {
  const r = ratio(figure) ?? Number.NaN;
  if (figure.better === 'higher') {
    const met = r >= bound;
    return { text: `≥ ${bound} × baseline`, met, miss: met ? undefined : `ratio ${fmt(r)} is ${fmt(bound / r)} × short of ${bound}` };
  }
  const met = r <= bound;
  return { text: `≤ ${bound} × baseline`, met, miss: met ? undefined : `ratio ${fmt(r)} is ${fmt(r / bound)} × over ${bound}` };
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
