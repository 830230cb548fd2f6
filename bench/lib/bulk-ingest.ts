import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { newId, newReadableCode } from '../../server/src/common/ids';
import { nameKeyOf } from '../../server/src/modules/children/child-matching';
import { fmt, median, ratioGoal, type Figure } from './figures';

/**
 * MariaDB's bulk ingest of a registry's rows: the floor under an import. The rows are the ones the
 * product writes for the same file (a pupil's record with its ids, name key and binding code; a
 * household member), prepared first as a tab-separated file, then ingested into a
 * `CREATE TABLE … LIKE` copy of the product's table (same columns, same indexes), each way in one
 * transaction, as the import writes all or nothing.
 */

/** A tab-separated file of table rows, as LOAD DATA reads it by default (`\N` is NULL). */
export interface RowFile {
  path: string;
  columns: string[];
  rows: number;
}

const tsvCell = (value: string | number | null): string =>
  value === null ? '\\N' : String(value).replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'));

/** The data lines of a CSV file the bench generated (no quoted cells), header skipped. */
async function* csvLines(path: string): AsyncGenerator<string[]> {
  let header = true;
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (header || !line) {
      header = false;
      continue;
    }
    yield line.split(',');
  }
}

async function writeRows(path: string, rows: AsyncIterable<Array<string | number | null>>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  for await (const row of rows) {
    if (!out.write(`${row.map(tsvCell).join('\t')}\n`)) await once(out, 'drain');
    count++;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

const CHILD_COLUMNS = [
  'id',
  'name',
  'name_key',
  'sex',
  'birth_year',
  'birth_year_exact',
  'id_number',
  'village_code',
  'school_id',
  'grade',
  'priority_groups',
  'student_number',
  'birth_date',
  'class_name',
  'boarding',
  'binding_code',
  'county_code',
  'merged_into_id',
  'created_at',
  'updated_at',
];

/**
 * The children rows a roster import writes for the bench's roster CSV (学籍号, 姓名, 性别, 身份证号,
 * 学校, 年级, 是否寄宿, 村区划代码): a new record per pupil, as the child registry makes it.
 */
export async function rosterChildRows(csv: string, out: string, schoolIds: Map<string, string>): Promise<RowFile> {
  const now = new Date().toISOString().slice(0, 23).replace('T', ' ');
  // a million random codes of 8 characters from 32 meet one another about every other time
  const codes = new Set<string>();
  const freeCode = () => {
    let code = newReadableCode(8);
    while (codes.has(code)) code = newReadableCode(8);
    codes.add(code);
    return code;
  };
  async function* rows() {
    for await (const [studentNumber, name, sex, idNumber, school, grade, boarding, village] of csvLines(csv)) {
      const birthDate = idNumber ? `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}` : null;
      yield [
        newId(),
        name!,
        nameKeyOf(name!),
        sex === '男' ? 'male' : 'female',
        birthDate ? Number(birthDate.slice(0, 4)) : null,
        birthDate ? 1 : 0,
        idNumber || null,
        village || null,
        schoolIds.get(school!) ?? null,
        Number(grade),
        '[]',
        studentNumber!,
        birthDate,
        null,
        boarding === '是' ? 1 : 0,
        freeCode(),
        village ? `${village.slice(0, 6)}000000` : null,
        null,
        now,
        now,
      ];
    }
  }
  return { path: out, columns: CHILD_COLUMNS, rows: await writeRows(out, rows()) };
}

const HOUSEHOLD_COLUMNS = [
  'id',
  'county_code',
  'id_number',
  'name',
  'name_key',
  'sex',
  'birth_date',
  'village_code',
  'guardian_name',
  'guardian_phone',
  'import_id',
];

/** The household_members rows a household import writes for the bench's household CSV (身份证号, 姓名, 村区划代码, 监护人姓名, 监护人电话). */
export async function householdMemberRows(csv: string, out: string, importId: string): Promise<RowFile> {
  async function* rows() {
    for await (const [idNumber, name, village, guardianName, guardianPhone] of csvLines(csv)) {
      yield [
        newId(),
        `${village!.slice(0, 6)}000000`,
        idNumber!,
        name!,
        nameKeyOf(name!),
        Number(idNumber!.charAt(16)) % 2 ? 'male' : 'female',
        `${idNumber!.slice(6, 10)}-${idNumber!.slice(10, 12)}-${idNumber!.slice(12, 14)}`,
        village!,
        guardianName || null,
        guardianPhone || null,
        importId,
      ];
    }
  }
  return { path: out, columns: HOUSEHOLD_COLUMNS, rows: await writeRows(out, rows()) };
}

/** A fresh copy of `table` (columns and indexes), dropped first if a previous step left one. */
async function copyOf(conn: Connection, table: string, copy: string): Promise<void> {
  await conn.query(`DROP TABLE IF EXISTS ${copy}`);
  await conn.query(`CREATE TABLE ${copy} LIKE ${table}`);
}

/** Seconds to ingest the rows into a copy of `table` with `LOAD DATA LOCAL INFILE` (mysql2's `infileStreamFactory`); the copy is dropped after. */
export async function loadDataSeconds(conn: Connection, table: string, file: RowFile): Promise<number> {
  const copy = `${table}_bulk_load`;
  await copyOf(conn, table, copy);
  try {
    const started = performance.now();
    await conn.query({
      sql: `LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE ${copy} CHARACTER SET utf8mb4 (${file.columns.join(', ')})`,
      infileStreamFactory: () => createReadStream(file.path),
    });
    const seconds = (performance.now() - started) / 1000;
    const [[counted]] = (await conn.query(`SELECT COUNT(*) AS n FROM ${copy}`)) as unknown as [[{ n: number }]];
    if (Number(counted!.n) !== file.rows) throw new Error(`LOAD DATA into ${copy} kept ${counted!.n} of ${file.rows} rows`);
    return seconds;
  } finally {
    await conn.query(`DROP TABLE IF EXISTS ${copy}`);
  }
}

/** Seconds to ingest the rows into a copy of `table` as multi-row INSERTs of `chunk` rows in one transaction; the copy is dropped after. */
export async function multiRowInsertSeconds(conn: Connection, table: string, file: RowFile, chunk = 2000): Promise<number> {
  const copy = `${table}_bulk_insert`;
  await copyOf(conn, table, copy);
  const head = `INSERT INTO ${copy} (${file.columns.join(', ')}) VALUES `;
  const value = (cell: string) =>
    cell === '\\N' ? 'NULL' : conn.escape(cell.replace(/\\([\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : '\\')));
  try {
    const started = performance.now();
    await conn.beginTransaction();
    let tuples: string[] = [];
    for await (const line of createInterface({ input: createReadStream(file.path), crlfDelay: Infinity })) {
      tuples.push(`(${line.split('\t').map(value).join(',')})`);
      if (tuples.length >= chunk) {
        await conn.query(head + tuples.join(','));
        tuples = [];
      }
    }
    if (tuples.length) await conn.query(head + tuples.join(','));
    await conn.commit();
    return (performance.now() - started) / 1000;
  } finally {
    await conn.query(`DROP TABLE IF EXISTS ${copy}`);
  }
}

/** The bulk-ingest baselines of the two imports, each sample a run of its own into a fresh copy. */
export interface IngestSamples {
  rosterLoad: number[];
  rosterInsert: number[];
  householdLoad: number[];
}

/** Both files' rows as the imports write them, prepared once in `dir` (not timed). */
export async function prepareIngest(
  conn: Connection,
  dir: string,
  files: { roster: string; household: string },
): Promise<{ roster: RowFile; household: RowFile; seconds: number }> {
  const started = performance.now();
  const [schools] = (await conn.query('SELECT id, name FROM schools')) as unknown as [Array<{ id: string; name: string }>];
  const roster = await rosterChildRows(files.roster, join(dir, 'children.tsv'), new Map(schools.map((s) => [s.name, s.id])));
  const household = await householdMemberRows(files.household, join(dir, 'household_members.tsv'), newId());
  return { roster, household, seconds: (performance.now() - started) / 1000 };
}

/** One round of the baselines: LOAD DATA of both files' rows, and multi-row INSERTs of the roster's when asked. */
export async function ingestRound(
  conn: Connection,
  rows: { roster: RowFile; household: RowFile },
  samples: IngestSamples,
  log: (message: string) => void,
  withInserts: boolean,
): Promise<void> {
  samples.householdLoad.push(await loadDataSeconds(conn, 'household_members', rows.household));
  samples.rosterLoad.push(await loadDataSeconds(conn, 'children', rows.roster));
  if (withInserts) samples.rosterInsert.push(await multiRowInsertSeconds(conn, 'children', rows.roster));
  log(
    `crosscheck: bulk ingest — household LOAD DATA ${fmt(samples.householdLoad.at(-1)!)} s, roster LOAD DATA ${fmt(samples.rosterLoad.at(-1)!)} s` +
      (withInserts ? `, roster multi-row INSERT ${fmt(samples.rosterInsert.at(-1)!)} s` : ''),
  );
}

/** The stage times the server logs when an import of `kind` finishes (pino JSON lines), the last one. */
export function importStages(logFile: string, kind: string): { validateMs: number; importMs: number } | null {
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"registry import finished"') && l.includes(`"kind":"${kind}"`));
  return lines.length ? (JSON.parse(lines[lines.length - 1]!) as { validateMs: number; importMs: number }) : null;
}

/**
 * The imports beside MariaDB's bulk ingest of the same rows: the roster against the faster of LOAD
 * DATA and multi-row INSERTs (the limit; goal ≤ 2 ×, issue 19), the household list against LOAD
 * DATA (no goal), and the server's peak memory during the roster import (stated).
 */
export function importFigures(
  product: { rosterSeconds: number; householdSeconds: number; rosterPeakMiB: number },
  samples: IngestSamples,
  pupils: number,
): Figure[] {
  const loadFaster = !samples.rosterInsert.length || median(samples.rosterLoad) <= median(samples.rosterInsert);
  const series = (label: string, values: number[]) => ({ label, unit: 's', samples: values });
  const load = series('LOAD DATA LOCAL INFILE into a copy of children', samples.rosterLoad);
  const inserts = series('multi-row INSERTs of 2,000 rows into a copy of children', samples.rosterInsert);
  const roster: Figure = {
    label: `roster import (${pupils.toLocaleString('en-US')} pupils, validation and identity resolution included)`,
    unit: 's',
    better: 'lower',
    samples: [product.rosterSeconds],
    baseline: loadFaster ? load : inserts,
    goals: [],
  };
  roster.goals.push(ratioGoal(roster, 2));
  const figures: Figure[] = [roster];
  if (samples.rosterInsert.length)
    figures.push({
      label: 'roster import, against the slower bulk ingest',
      unit: 's',
      better: 'lower',
      samples: [product.rosterSeconds],
      baseline: loadFaster ? inserts : load,
      goals: [],
    });
  figures.push(
    {
      label: 'household import',
      unit: 's',
      better: 'lower',
      samples: [product.householdSeconds],
      baseline: series('LOAD DATA LOCAL INFILE into a copy of household_members', samples.householdLoad),
      goals: [],
    },
    { label: 'peak RSS of the server during the roster import', unit: 'MiB', better: 'lower', samples: [product.rosterPeakMiB], goals: [] },
  );
  return figures;
}
