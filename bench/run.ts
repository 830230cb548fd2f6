/**
 * `npm run bench [-- <section>...] [--quick] [--profile]`: measures the product against baselines
 * run in the same process on the same machine and writes bench/RESULTS.md (all sections) or
 * bench/RESULTS.partial.md (a subset, or --quick). Generates all of its data in a temp directory
 * and in databases of its own, which it drops at the end. The npm script compiles shared and the
 * server first (the bench measures the compiled server; its generator imports the built contract).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext, Section } from './lib/context';
import type { SectionResult } from './lib/figures';
import { runInterruptSteps } from './lib/interrupt';
import { dropAllCreated, serverVersion, sizeServer } from './lib/mysql';
import { describeMachine, renderReport } from './lib/report';
import { clusterSection } from './sections/cluster';
import { crosscheckSection } from './sections/crosscheck';
import { divisionsSection } from './sections/divisions';
import { h5LoadSection } from './sections/h5-load';
import { inboxSection } from './sections/inbox';
import { miniappSection } from './sections/miniapp';
import { reportingSection } from './sections/reporting';
import { schoolDaySection } from './sections/school-day';
import { statsSection } from './sections/stats';
import { tipsSection } from './sections/tips';

const SECTIONS: Section[] = [
  tipsSection,
  inboxSection,
  statsSection,
  crosscheckSection,
  divisionsSection,
  miniappSection,
  h5LoadSection,
  schoolDaySection,
  reportingSection,
  clusterSection,
];

function usage(): never {
  console.error(`usage: npm run bench -- [${SECTIONS.map((s) => s.key).join('|')} ...] [--quick] [--profile]`);
  process.exit(64);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  for (const flag of flags) if (flag !== '--quick' && flag !== '--profile') usage();
  const names = args.filter((a) => !a.startsWith('--'));
  for (const name of names) if (!SECTIONS.some((s) => s.key === name)) usage();
  const chosen = names.length ? SECTIONS.filter((s) => names.includes(s.key)) : SECTIONS;
  const complete = chosen.length === SECTIONS.length && !flags.has('--quick');
  const output = join(__dirname, complete ? 'RESULTS.md' : 'RESULTS.partial.md');

  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`;
  const log = (message: string) => console.log(`${stamp()} ${message}`);
  const tmp = mkdtempSync(join(tmpdir(), 'bx-bench-'));
  const ctx: BenchContext = { tmp, quick: flags.has('--quick'), profile: flags.has('--profile'), log };
  const sizing = await sizeServer();
  const machine = describeMachine(await serverVersion(), sizing.description);

  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const results: SectionResult[] = [];
  const interrupted = async () => {
    await runInterruptSteps();
    await dropAllCreated();
    await sizing.restore();
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    for (const section of chosen) {
      log(`── ${section.title}`);
      const sectionStart = Date.now();
      try {
        results.push(await section.run(ctx));
      } catch (error) {
        console.error(error);
        results.push({ key: section.key, title: section.title, setup: [], figures: [], notes: [], error: (error as Error).message });
      }
      log(`── ${section.key} took ${((Date.now() - sectionStart) / 1000).toFixed(0)} s`);
      // a long run stopped later still leaves what it measured so far
      writeFileSync(
        join(__dirname, 'RESULTS.partial.md'),
        renderReport(machine, results, (Date.now() - started) / 1000, `${command} (sections so far)`),
      );
      await dropAllCreated();
    }
  } finally {
    await dropAllCreated();
    await sizing.restore();
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(output, renderReport(machine, results, (Date.now() - started) / 1000, command));
  log(`wrote ${output}`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch(async (error: unknown) => {
  console.error(error);
  await dropAllCreated();
  process.exit(1);
});
