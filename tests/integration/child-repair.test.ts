import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { idNumberCheckCharacter } from '@baoxue/shared';
import { DataSource } from 'typeorm';
import { newId } from '../../server/src/common/ids';
import { createDataSource, dataSourceOptions, detectMysqlFlavour } from '../../server/src/database/data-source';
import { migrations } from '../../server/src/database/migrations';
import { OneChild1764900000000 } from '../../server/src/database/migrations/1764900000000-one-child';
import { standaloneChildMerges } from '../../server/src/database/migrations/child-merges';
import { repairChildRecords } from '../../server/src/modules/children/child-repair';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Issue 12 item 7: a database written before the child registry — a tip about a rostered pupil made
 * a second record and a second open case, tip-made records carry no county, one child has two open
 * cases — is repaired on the migration path, before the unique keys are added; a second run (and the
 * `repair-children` command) finds nothing to do.
 */
const COUNTY = '411522000000';
const WUMING = '411522101203';
const OTHER_COUNTY = '411521000000';
const T0 = Date.parse('2026-09-01T00:00:00Z');

function idNumber(birthDate: string, sequence: number): string {
  const first17 = `411522${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** Datetimes as both databases take them in a plain query. */
const at = (days: number) => new Date(T0 + days * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');

interface OldChild {
  name: string;
  idNumber?: string | null;
  studentNumber?: string | null;
  birthDate?: string | null;
  birthYear?: number | null;
  exact?: boolean;
  village?: string | null;
  school?: string | null;
  county?: string | null;
  groups?: string[];
  created: number;
}

/** The rows the old code wrote, with the old schema's columns. */
async function seedOldRows(dataSource: DataSource) {
  const q = (sql: string, params: unknown[]) => dataSource.query(sql, params);
  const schoolId = newId();
  await q(
    "INSERT INTO schools (id, name, stage, code, county_code, township_code, village_code, address) VALUES (?, '光山县十里镇中心小学', 'primary', NULL, ?, '411522101000', NULL, NULL)",
    [schoolId, COUNTY],
  );
  const child = async (spec: OldChild) => {
    const id = newId(T0 + spec.created * 1000);
    const birthYear = spec.birthDate ? Number(spec.birthDate.slice(0, 4)) : (spec.birthYear ?? null);
    await q(
      `INSERT INTO children (id, name, name_key, sex, birth_year, birth_year_exact, id_number, village_code, school_id, grade, priority_groups,
         student_number, birth_date, class_name, boarding, binding_code, county_code, created_at, updated_at)
       VALUES (?, ?, ?, 'male', ?, ?, ?, ?, ?, NULL, ?, ?, ?, NULL, NULL, ?, ?, ?, ?)`,
      [
        id,
        spec.name,
        spec.name,
        birthYear,
        spec.exact === false ? 0 : birthYear === null ? 0 : 1,
        spec.idNumber ?? null,
        spec.village === undefined ? WUMING : spec.village,
        spec.school ?? null,
        JSON.stringify(spec.groups ?? []),
        spec.studentNumber ?? null,
        spec.birthDate ?? null,
        spec.studentNumber ? `B${spec.created}`.padEnd(8, 'X') : null,
        spec.county === undefined ? null : spec.county,
        at(spec.created),
        at(spec.created),
      ],
    );
    return id;
  };
  const rostered = (name: string, birthDate: string, sequence: number, extra: Partial<OldChild> = {}) => {
    const number = idNumber(birthDate, sequence);
    return child({
      name,
      idNumber: number,
      studentNumber: `G${number}`,
      birthDate,
      school: schoolId,
      county: COUNTY,
      created: sequence,
      ...extra,
    });
  };
  const openCase = async (childId: string, opened: number, tips: number) => {
    const id = newId(T0 + opened * 86_400_000);
    await q(
      `INSERT INTO cases (id, child_id, status, source, county_code, township_code, village_code, routing_code, school_id, assignee_id,
         opened_at, due_at, closed_at, merged_into_id, tip_count, version)
       VALUES (?, ?, 'reported', 'tip', ?, '411522101000', ?, ?, NULL, NULL, ?, ?, NULL, NULL, ?, 1)`,
      [id, childId, COUNTY, WUMING, WUMING, at(opened), at(opened + 1), tips],
    );
    for (let i = 0; i < tips; i++)
      await q(
        `INSERT INTO tips (id, supervisor_id, idempotency_key, request_hash, case_id, already_followed, child_name, child_sex, observation, created_at)
         VALUES (?, ?, ?, 'hash', ?, 0, '孩子', 'male', '没有去上学', ?)`,
        [newId(), newId(), newId(), id, at(opened)],
      );
    return id;
  };

  // 1. a tip naming a rostered pupil with his exact ID number made a second record and a second open case
  const pupil = await rostered('王梓轩', '2014-05-01', 11);
  const pupilNumber = idNumber('2014-05-01', 11);
  const tipMade = await child({ name: '王梓轩', idNumber: pupilNumber, birthYear: 2014, created: 100 });
  const rosterCase = await openCase(pupil, 1, 1);
  const tipCase = await openCase(tipMade, 2, 1);
  // 2. a tip-made record with the same name, birth date and village as a pupil in a priority group
  const poorPupil = await rostered('李思雨', '2013-09-09', 13, { groups: ['registered_poor'] });
  const tipMade2 = await child({ name: '李思雨', birthDate: '2013-09-09', created: 101 });
  const tipCase2 = await openCase(tipMade2, 3, 1);
  // 3. records with no county: one in a village, one known only by its school
  const villageOnly = await child({ name: '赵小明', birthYear: 2015, exact: false, created: 102 });
  const schoolOnly = await child({ name: '钱多多', village: null, school: schoolId, birthYear: 2015, exact: false, created: 103 });
  // 4. ambiguous: an age-estimated tip fits two pupils of that name in the village
  const ambiguous = await child({ name: '张伟', birthYear: 2014, exact: false, created: 104 });
  const zhangA = await rostered('张伟', '2014-03-03', 15);
  const zhangB = await rostered('张伟', '2015-01-01', 17);
  // 5. one child, two open cases
  const twice = await rostered('周杰', '2012-02-02', 19);
  const firstCase = await openCase(twice, 4, 1);
  const secondCase = await openCase(twice, 5, 2);
  // 6. the same ID number under another name: not the same child by name
  const liuNumber = idNumber('2014-07-07', 21);
  const liu = await rostered('刘阳', '2014-07-07', 21);
  const misnamed = await child({ name: '刘洋', idNumber: liuNumber, birthYear: 2014, created: 105 });
  // another county's record is left alone
  await child({ name: '别县孩子', village: '411521100001', county: OTHER_COUNTY, birthYear: 2014, created: 106 });

  return {
    schoolId,
    pupil,
    tipMade,
    rosterCase,
    tipCase,
    poorPupil,
    tipMade2,
    tipCase2,
    villageOnly,
    schoolOnly,
    ambiguous,
    zhangA,
    zhangB,
    twice,
    firstCase,
    secondCase,
    liu,
    misnamed,
    liuNumber,
  };
}

/** Every row the repair may touch, to show a second run changes nothing. */
async function everything(dataSource: DataSource) {
  const rows: Record<string, unknown> = {};
  for (const table of ['children', 'cases', 'tips', 'child_match_reviews', 'child_merges', 'case_events', 'audit_log'])
    rows[table] = await dataSource.query(`SELECT * FROM ${table} ORDER BY id`);
  return rows;
}

describe('repair of child records written before the child registry', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('is a no-op on an empty database', async () => {
    const empty = await createTestDatabase();
    const dataSource = await createDataSource(empty.config);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await repairChildRecords(dataSource.manager, standaloneChildMerges(dataSource))).toEqual({
        countiesSet: 0,
        merged: 0,
        linked: 0,
        casesMerged: 0,
        reviews: 0,
      });
    } finally {
      await dataSource.destroy();
      await empty.drop();
    }
  });

  it('repairs old duplicates on the migration path, before the unique keys; a second run and the command find nothing to do', async () => {
    // the schema as it was before the child registry, with the old code's rows
    const flavour = db.config.kind === 'mysql' ? await detectMysqlFlavour(db.config.url) : undefined;
    const before = migrations.indexOf(OneChild1764900000000);
    const old = new DataSource({ ...dataSourceOptions(db.config, flavour), migrations: migrations.slice(0, before) });
    await old.initialize();
    let seeded: Awaited<ReturnType<typeof seedOldRows>>;
    try {
      await old.runMigrations({ transaction: 'each' });
      seeded = await seedOldRows(old);
    } finally {
      await old.destroy();
    }

    const printed = jest.spyOn(console, 'info').mockImplementation(() => undefined);
    const dataSource = await createDataSource(db.config);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
      expect(await dataSource.showMigrations()).toBe(false);
      // the migration printed what it did
      const report = printed.mock.calls.map((c) => String(c[0])).join('\n');
      expect(report).toMatch(/补全县代码\s+6\b/);
      expect(report).toMatch(/合并重复记录\s+1\b/);
      expect(report).toMatch(/线索记录并入学籍\s+1\b/);
      expect(report).toMatch(/合并在办案件\s+2\b/);
      expect(report).toMatch(/待人工核对\s+3\b/);
      printed.mockRestore();

      const child = async (id: string) =>
        ((await dataSource.query('SELECT * FROM children WHERE id = ?', [id])) as Array<Record<string, unknown>>)[0]!;
      const kase = async (id: string) =>
        ((await dataSource.query('SELECT * FROM cases WHERE id = ?', [id])) as Array<Record<string, unknown>>)[0]!;

      // 1. the tip-made record is merged into the pupil; its case into the pupil's older one, with its tip
      expect(await child(seeded!.tipMade)).toMatchObject({ merged_into_id: seeded!.pupil, id_number: null });
      expect(await child(seeded!.pupil)).toMatchObject({ id_number: idNumber('2014-05-01', 11), merged_into_id: null });
      expect(await kase(seeded!.tipCase)).toMatchObject({
        merged_into_id: seeded!.rosterCase,
        child_id: seeded!.pupil,
        open_child_id: null,
      });
      expect(await kase(seeded!.rosterCase)).toMatchObject({ open_child_id: seeded!.pupil, tip_count: 2, merged_into_id: null });
      expect(await dataSource.query('SELECT id FROM tips WHERE case_id = ?', [seeded!.rosterCase])).toHaveLength(2);
      // the merge is in the audit log; the audit viewer's later migration filled the child and county it belongs to
      expect(
        await dataSource.query("SELECT child_id, county_code FROM audit_log WHERE action = 'child.merge' AND target_id = ?", [
          seeded!.pupil,
        ]),
      ).toEqual([{ child_id: seeded!.pupil, county_code: COUNTY }]);
      // 2. linked by name, birth date and village: the case follows, claimed, listed first (poor household)
      expect(await child(seeded!.tipMade2)).toMatchObject({ merged_into_id: seeded!.poorPupil });
      expect(await kase(seeded!.tipCase2)).toMatchObject({ child_id: seeded!.poorPupil, open_child_id: seeded!.poorPupil, priority: 1 });
      // 3. counties from the village and from the school
      expect(await child(seeded!.villageOnly)).toMatchObject({ county_code: COUNTY, merged_into_id: null });
      expect(await child(seeded!.schoolOnly)).toMatchObject({ county_code: COUNTY, merged_into_id: null });
      // 4. two pupils fit the tip: both pairs for review, no merge
      const reviews: Array<Record<string, unknown>> = await dataSource.query(
        'SELECT * FROM child_match_reviews ORDER BY reason, candidate_id',
      );
      expect(reviews).toHaveLength(3);
      expect(reviews.every((r) => r.source === 'repair' && r.status === 'pending' && r.county_code === COUNTY)).toBe(true);
      expect(reviews.filter((r) => r.child_id === seeded!.ambiguous).map((r) => [r.candidate_id, r.reason])).toEqual(
        expect.arrayContaining([
          [seeded!.zhangA, 'ambiguous'],
          [seeded!.zhangB, 'ambiguous'],
        ]),
      );
      expect(await child(seeded!.ambiguous)).toMatchObject({ merged_into_id: null });
      // 5. one open case of the child, the later merged into the older with its tips
      expect(await kase(seeded!.secondCase)).toMatchObject({ merged_into_id: seeded!.firstCase, open_child_id: null });
      expect(await kase(seeded!.firstCase)).toMatchObject({ open_child_id: seeded!.twice, tip_count: 3 });
      // 6. another name under the same ID number: listed for review, the number stays with the roster
      expect(reviews.find((r) => r.child_id === seeded!.misnamed)).toMatchObject({
        candidate_id: seeded!.liu,
        reason: 'identity_conflict',
      });
      expect(await child(seeded!.misnamed)).toMatchObject({ id_number: null, merged_into_id: null });
      expect(await child(seeded!.liu)).toMatchObject({ id_number: seeded!.liuNumber });
      // the merges are logged (by nobody: the repair) and can be split
      const merges: Array<Record<string, unknown>> = await dataSource.query('SELECT * FROM child_merges');
      expect(merges.map((m) => [m.survivor_id, m.merged_id, m.actor_id]).sort()).toEqual(
        [
          [seeded!.pupil, seeded!.tipMade, null],
          [seeded!.poorPupil, seeded!.tipMade2, null],
        ].sort(),
      );

      // a second run: nothing to do, nothing changed
      const snapshot = await everything(dataSource);
      expect(await dataSource.transaction((m) => repairChildRecords(m, standaloneChildMerges(dataSource)))).toEqual({
        countiesSet: 0,
        merged: 0,
        linked: 0,
        casesMerged: 0,
        reviews: 0,
      });
      expect(await everything(dataSource)).toEqual(snapshot);
    } finally {
      printed.mockRestore();
      await dataSource.destroy();
    }

    // the command the README names: it migrates, repairs and prints the same report
    const cli = spawnSync(process.execPath, [join(__dirname, '../../server/dist/cli.js'), 'repair-children'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: cli.status, stderr: cli.stderr }).toEqual({ status: 0, stderr: '' });
    expect(cli.stdout).toMatch(/儿童记录修复/);
    expect(cli.stdout).toMatch(/合并重复记录\s+0\b/);
    expect(cli.stdout).toMatch(/待人工核对\s+0\b/);
  }, 120_000);
});
