import type { SectionResult } from './figures';

export interface BenchContext {
  /** Scratch space for generated data, server logs and profiles; removed at the end. */
  tmp: string;
  /** Shorter runs and smaller data, for iterating on one section (`--quick`); never for RESULTS.md. */
  quick: boolean;
  /** Profile the server under load (`--cpu-prof`) and keep the .cpuprofile files in bench/profiles/. */
  profile: boolean;
  log(message: string): void;
}

export interface Section {
  key: string;
  title: string;
  run(ctx: BenchContext): Promise<SectionResult>;
}

export function seconds(ctx: BenchContext, full: number, quick: number): number {
  return ctx.quick ? quick : full;
}
