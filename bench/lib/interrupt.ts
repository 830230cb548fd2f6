/**
 * What a section must undo even when the run is interrupted: SIGINT and SIGTERM end the run from
 * bench/run.ts without the sections' `finally` blocks, and some of what a section starts outlives
 * the bench process (a cluster's detached processes).
 */
const steps = new Set<() => Promise<unknown>>();

/** Runs `step` if the bench is interrupted; the returned function forgets it (when the section undid it itself). */
export function undoOnInterrupt(step: () => Promise<unknown>): () => void {
  steps.add(step);
  return () => steps.delete(step);
}

/** Every registered step, one after the other; one that fails does not stop the others. */
export async function runInterruptSteps(): Promise<void> {
  for (const step of [...steps]) {
    steps.delete(step);
    await step().catch((error: unknown) => console.error(error));
  }
}
