import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { fmt, max, median, min, ratio, type Figure, type SectionResult } from './figures';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  database: string;
  databaseSizing: string;
  commit: string;
  date: string;
  loadBefore: string;
}

export function describeMachine(databaseVersion: string, databaseSizing: string): Machine {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const head = git(['rev-parse', '--short=12', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : '';
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    database: databaseVersion,
    databaseSizing,
    commit: `${head}${dirty}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    loadBefore: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}

function triple(samples: number[]): string {
  if (samples.length === 1) return `${fmt(samples[0]!)} (1 run)`;
  return `${fmt(min(samples))} / **${fmt(median(samples))}** / ${fmt(max(samples))}`;
}

function figureRow(figure: Figure): string {
  const r = ratio(figure);
  const goals = figure.goals.length
    ? figure.goals.map((g) => `${g.met ? '✅' : '❌'} ${g.text}${g.miss ? ` — ${g.miss}` : ''}`).join('<br>')
    : '—';
  return [
    figure.label,
    `${triple(figure.samples)} ${figure.unit}`,
    figure.baseline ? `${figure.baseline.label}: ${triple(figure.baseline.samples)} ${figure.baseline.unit}` : '—',
    r === null ? '—' : `${fmt(r)} ×`,
    goals,
  ].join(' | ');
}

export function renderSection(section: SectionResult): string {
  const out = [`## ${section.title}`, ''];
  if (section.error) out.push(`**This section failed:** \`${section.error}\``, '');
  if (section.setup.length) out.push(...section.setup.map((s) => `- ${s}`), '');
  if (section.figures.length) {
    out.push('| figure | min / **median** / max | baseline (same run) | ratio | goal |', '|---|---|---|---|---|');
    for (const figure of section.figures) out.push(`| ${figureRow(figure)} |`);
    out.push('');
  }
  for (const table of section.tables ?? []) out.push(table, '');
  if (section.notes.length) out.push(...section.notes.map((n) => `${n}\n`));
  return out.join('\n');
}

export function renderReport(machine: Machine, sections: SectionResult[], wallSeconds: number, command: string): string {
  const goals = sections.flatMap((s) => s.figures.flatMap((f) => f.goals.map((g) => ({ section: s.title, figure: f.label, goal: g }))));
  const missed = goals.filter((g) => !g.goal.met);
  return [
    '# Benchmark results',
    '',
    `Written by \`${command}\` (bench/run.ts); every figure below comes from that one run. Numbers are`,
    'never asserted in tests: they are measured here, each beside a baseline measured in the same run on',
    'the same machine, and compared as a ratio of medians. Each figure is min / **median** / max over its',
    'repeats. Other work on the machine (tests of other engineers, builds) adds noise: read ratios, not',
    'absolute numbers, and the spread between min and max.',
    '',
    '| machine | |',
    '|---|---|',
    `| CPU | ${machine.cpu}, ${machine.cores} cores |`,
    `| memory | ${machine.memoryGiB} GiB |`,
    `| Node.js | ${machine.node} |`,
    `| database | ${machine.database} (loopback; for the run: ${machine.databaseSizing}; otherwise server defaults) |`,
    `| commit | ${machine.commit} |`,
    `| date | ${machine.date} |`,
    `| load average at start | ${machine.loadBefore} |`,
    `| wall time of the run | ${fmt(wallSeconds / 60)} min |`,
    '',
    `**Goals:** ${goals.length - missed.length} of ${goals.length} met.` +
      (missed.length
        ? ` Missed: ${missed.map((m) => `${m.section} — ${m.figure} (${m.goal.text}${m.goal.baselineMisses ? '; the baseline misses it too' : ''})`).join('; ')}.`
        : ''),
    '',
    ...sections.map(renderSection),
  ].join('\n');
}
