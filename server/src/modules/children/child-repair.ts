import { parseIdNumber, type ChildSex } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { newId } from '../../common/ids';
import type { ChildMergeService } from './child-merge.service';
import { matchByName, nameKeyOf, type ChildReport, type KnownChild } from './child-matching';
import { ChildMatchReview, type ChildMatchReason } from './child-registry.entities';
import { Child } from './child.entity';

/** What a repair did; a second run reports zeros. */
export interface RepairReport {
  /** Records that got their county (from their village, else their school). */
  countiesSet: number;
  /** Records merged into another record with the same ID number. */
  merged: number;
  /** Records not on a roster (made from tips) merged into the roster record of the same child. */
  linked: number;
  /** Open cases merged into another open case of the same child. */
  casesMerged: number;
  /** Pairs listed for an official to confirm or reject. */
  reviews: number;
}

const REASON = '数据修复：同一儿童的重复记录';
const CASE_REASON = '数据修复：同一儿童的多个在办案件';
/** Records not on a roster matched per query (their names in one IN list). */
const BATCH = 200;

interface Row {
  id: string;
  name: string;
  name_key: string;
  sex: ChildSex;
  id_number: string | null;
  student_number: string | null;
  birth_date: string | null;
  birth_year: number | null;
  birth_year_exact: number | boolean;
  village_code: string | null;
  school_id: string | null;
  grade: number | null;
  county_code: string | null;
}

const ROW_COLUMNS =
  'id, name, name_key, sex, id_number, student_number, birth_date, birth_year, birth_year_exact, village_code, school_id, grade, county_code';

/**
 * Repairs a database written before the child registry (BRIEF §3a), in the one-child migration
 * before its unique keys are added and with `repair-children` from the command line: sets missing
 * county codes (from the village, else the school); merges several open cases of one child; merges
 * records with the same ID number (a name that differs goes to review instead, and the later record
 * lets go of the number); links records not on a roster (made from tips) to the roster record of
 * the same child by the registry's rules (the same name and birth date at the village or school,
 * or the same name and birth year in the village, when only one record fits), listing uncertain
 * pairs for review; then sets the open-case claims and the priority of cases. Plain queries naming
 * their columns, so it runs on the schema of that migration; nothing to do on an empty database.
 * Idempotent: a second run finds nothing to do. `merges` moves every module's rows of a child (outside
 * Nest, a composition root wires one: `standaloneChildMerges`).
 */
export async function repairChildRecords(
  manager: EntityManager,
  merges: ChildMergeService,
  clock: Clock = new Clock(),
): Promise<RepairReport> {
  const report: RepairReport = { countiesSet: 0, merged: 0, linked: 0, casesMerged: 0, reviews: 0 };
  if (!(await manager.query('SELECT id FROM children LIMIT 1')).length) return report;
  const now = clock.now();

  report.countiesSet = await setCounties(manager);
  report.casesMerged += await merges.mergeOpenCases(manager, CASE_REASON);

  // the same ID number on several records
  const duplicated: Array<{ id_number: string }> = await manager.query(
    'SELECT id_number FROM children WHERE id_number IS NOT NULL AND merged_into_id IS NULL GROUP BY id_number HAVING COUNT(*) > 1',
  );
  for (const { id_number } of duplicated) {
    // the roster record stays, else the oldest
    const rows: Row[] = await manager.query(
      `SELECT ${ROW_COLUMNS} FROM children WHERE id_number = ? AND merged_into_id IS NULL ORDER BY CASE WHEN student_number IS NULL THEN 1 ELSE 0 END, created_at, id`,
      [id_number],
    );
    const [survivor, ...others] = rows;
    for (const other of others) {
      const agree =
        nameKeyOf(other.name) === nameKeyOf(survivor!.name) &&
        !(other.student_number && survivor!.student_number && other.student_number !== survivor!.student_number) &&
        !(other.county_code && survivor!.county_code && other.county_code !== survivor!.county_code);
      if (agree) {
        const merge = await merges.merge(manager, survivor!.id, other.id, { reason: REASON, actorId: null });
        report.merged++;
        report.casesMerged += (merge.moved as { caseMerges?: unknown[] }).caseMerges?.length ?? 0;
        continue;
      }
      // not the same child by name (or another roster's pupil): an official decides; one record keeps the number
      await manager.query('UPDATE children SET id_number = NULL WHERE id = ?', [other.id]);
      if (await addReview(manager, other, survivor!, 'identity_conflict', now)) report.reviews++;
    }
  }

  // records not on a roster, linked to the roster record of the same child
  const loose: Row[] = await manager.query(
    `SELECT ${ROW_COLUMNS} FROM children WHERE student_number IS NULL AND merged_into_id IS NULL AND (village_code IS NOT NULL OR school_id IS NOT NULL) ORDER BY id`,
  );
  for (let i = 0; i < loose.length; i += BATCH) {
    const batch = loose.slice(i, i + BATCH);
    const keys = [...new Set(batch.flatMap((r) => [nameKeyOf(r.name), r.name_key]))];
    const rostered: Row[] = await manager.query(
      `SELECT ${ROW_COLUMNS} FROM children WHERE name_key IN (${keys.map(() => '?').join(', ')}) AND student_number IS NOT NULL AND merged_into_id IS NULL`,
      keys,
    );
    for (const row of batch) {
      const child = reportOf(row);
      const key = nameKeyOf(row.name);
      const township = row.village_code?.slice(0, 9);
      const near = rostered
        .filter((r) => (!!township && !!r.village_code?.startsWith(township)) || (!!row.school_id && r.school_id === row.school_id))
        .map((r) => knownOf(r, key));
      const outcome = matchByName(child, near);
      if (outcome.match) {
        const merge = await merges.merge(manager, outcome.match.id, row.id, { reason: REASON, actorId: null });
        report.linked++;
        report.casesMerged += (merge.moved as { caseMerges?: unknown[] }).caseMerges?.length ?? 0;
        continue;
      }
      for (const review of outcome.reviews) {
        const candidate = rostered.find((r) => r.id === review.candidate.id)!;
        if (await addReview(manager, row, candidate, review.reason, now)) report.reviews++;
      }
    }
  }

  // the open-case claim of every open case (the unique key added after the repair holds it), and
  // the priority of every case of a child in a priority group
  await merges.repairCaseClaims(manager);
  return report;
}

/** The report as the command line and the migration print it, in Chinese and English. */
export function describeRepair(report: RepairReport): string {
  return [
    'children repaired 儿童记录修复:',
    `  county codes set   补全县代码       ${report.countiesSet}`,
    `  duplicates merged  合并重复记录     ${report.merged}`,
    `  tip-made linked    线索记录并入学籍 ${report.linked}`,
    `  open cases merged  合并在办案件     ${report.casesMerged}`,
    `  left for review    待人工核对       ${report.reviews}`,
  ].join('\n');
}

/** Whether a repair changed anything. */
export function repairedAnything(report: RepairReport): boolean {
  return Object.values(report).some((n) => n > 0);
}

/** County codes from the village, else from the school; returns how many records got one. */
async function setCounties(manager: EntityManager): Promise<number> {
  const fromVillage: Array<{ id: string; village_code: string }> = await manager.query(
    'SELECT id, village_code FROM children WHERE county_code IS NULL AND village_code IS NOT NULL',
  );
  const fromSchool: Array<{ id: string; county_code: string }> = await manager.query(
    'SELECT ch.id, s.county_code FROM children ch INNER JOIN schools s ON s.id = ch.school_id WHERE ch.county_code IS NULL AND ch.village_code IS NULL',
  );
  const byCounty = new Map<string, string[]>();
  for (const row of fromVillage) {
    const county = `${row.village_code.slice(0, 6)}000000`;
    byCounty.set(county, [...(byCounty.get(county) ?? []), row.id]);
  }
  for (const row of fromSchool) byCounty.set(row.county_code, [...(byCounty.get(row.county_code) ?? []), row.id]);
  for (const [county, ids] of byCounty) {
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      await manager.query(`UPDATE children SET county_code = ? WHERE id IN (${chunk.map(() => '?').join(', ')})`, [county, ...chunk]);
    }
    // a pupil with a county now counts in its enrolment: subscribers hear the county the records came to
    const values: Partial<Child> = { countyCode: county };
    const was: Partial<Child> = { countyCode: null };
    await manager.queryRunner?.broadcaster.broadcast('AfterUpdate', manager.connection.getMetadata(Child), values, was, [], []);
  }
  return fromVillage.length + fromSchool.length;
}

/** A pair for review, unless the two records are paired already (either way round). */
async function addReview(manager: EntityManager, child: Row, candidate: Row, reason: ChildMatchReason, now: Date): Promise<boolean> {
  const county = child.county_code ?? candidate.county_code;
  if (!county) return false;
  const paired = await manager.existsBy(ChildMatchReview, [
    { childId: child.id, candidateId: candidate.id },
    { childId: candidate.id, candidateId: child.id },
  ]);
  if (paired) return false;
  await manager.insert(ChildMatchReview, {
    id: newId(),
    countyCode: county,
    childId: child.id,
    candidateId: candidate.id,
    reason,
    source: 'repair',
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    createdAt: now,
  });
  return true;
}

/** What a record says about who the child is, as the registry compares reports. */
function reportOf(row: Row): ChildReport {
  const parsed = row.id_number ? parseIdNumber(row.id_number) : null;
  const birthDate = row.birth_date ?? (parsed?.ok ? parsed.birthDate : null);
  return {
    name: row.name,
    sex: row.sex,
    idNumber: row.id_number,
    studentNumber: row.student_number,
    birthDate,
    birthYear: birthDate ? Number(birthDate.slice(0, 4)) : row.birth_year,
    birthYearExact: !!birthDate || !!Number(row.birth_year_exact),
    villageCode: row.village_code,
    schoolId: row.school_id,
    grade: row.grade,
    countyCode: row.county_code,
  };
}

function knownOf(row: Row, key: string): KnownChild {
  const report = reportOf(row);
  // a roster written before names were folded to simplified characters: the key as matched now
  return { ...report, id: row.id, nameKey: nameKeyOf(row.name) === key ? key : row.name_key };
}
