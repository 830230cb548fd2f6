import { atMost, fmt, ratioGoal, type Figure } from './figures';
import type { BenchContext } from './context';
import type { LoadResult } from './load';

/**
 * Runs a product load and its bare baseline `repeats` times, interleaved, and turns them into a
 * throughput figure (goal: ≥ `least` × baseline) and a p99 figure (goal: ≤ `p99Limit` ms).
 */
export async function compareReads(
  ctx: BenchContext,
  name: string,
  options: { repeats: number; least: number; p99Limit: number; unit: string; baselineLabel: string },
  product: () => Promise<LoadResult>,
  baseline: () => Promise<LoadResult>,
): Promise<{ figures: Figure[]; failures: string[]; product: LoadResult[]; baseline: LoadResult[] }> {
  const p: LoadResult[] = [];
  const b: LoadResult[] = [];
  for (let r = 0; r < options.repeats; r++) {
    b.push(await baseline());
    p.push(await product());
    ctx.log(
      `${name} ${r + 1}: product ${fmt(p[r]!.throughput)}/s p99 ${fmt(p[r]!.p99)} ms (failures ${p[r]!.failures}) · bare ${fmt(b[r]!.throughput)}/s p99 ${fmt(b[r]!.p99)} ms`,
    );
  }
  const throughput: Figure = {
    label: `${name}: throughput`,
    unit: options.unit,
    better: 'higher',
    samples: p.map((x) => x.throughput),
    baseline: { label: options.baselineLabel, unit: options.unit, samples: b.map((x) => x.throughput) },
    goals: [],
  };
  throughput.goals.push(ratioGoal(throughput, options.least));
  const p99s = p.map((x) => x.p99);
  const p99: Figure = {
    label: `${name}: p99 latency`,
    unit: 'ms',
    better: 'lower',
    samples: p99s,
    baseline: { label: `${options.baselineLabel} p99`, unit: 'ms', samples: b.map((x) => x.p99) },
    goals: [atMost(Math.max(...p99s), options.p99Limit, 'ms', 'worst repeat', Math.max(...b.map((x) => x.p99)))],
  };
  const p50: Figure = {
    label: `${name}: p50 latency`,
    unit: 'ms',
    better: 'lower',
    samples: p.map((x) => x.p50),
    baseline: { label: `${options.baselineLabel} p50`, unit: 'ms', samples: b.map((x) => x.p50) },
    goals: [],
  };
  const failures = p.filter((x) => x.failures).map((x) => `${name}: ${x.failures} failed (${x.failureDetail})`);
  return { figures: [throughput, p50, p99], failures, product: p, baseline: b };
}
