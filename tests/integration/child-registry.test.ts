import { idNumberCheckCharacter } from '@baoxue/shared';
import { transactionWithRetry } from '../../server/src/database/transaction';
import { DEMO_COUNTY_CODE, DEMO_SCHOOL_NAME } from '../../server/src/database/seed/demo-seed';
import type { ChildReport } from '../../server/src/modules/children/child-matching';
import { ChildMatchReview } from '../../server/src/modules/children/child-registry.entities';
import { ChildRegistry, type ChildSource, type Resolution } from '../../server/src/modules/children/child-registry.service';
import { Child } from '../../server/src/modules/children/child.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';

/** 吴明村 and 李堰塆村 of 十里镇; 张围孜村 of 寨河镇. */
const WUMING = '411522101203';
const LIYANWAN = '411522101204';
const ZHANGWEIZI = '411522102201';

function idNumber(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

/** What a source knows of a child of 吴明村 born in 2014 (an age said aloud); override any part. */
function report(name: string, overrides: Partial<ChildReport> = {}): ChildReport {
  return {
    name,
    sex: 'unknown',
    idNumber: null,
    studentNumber: null,
    birthDate: null,
    birthYear: 2014,
    birthYearExact: false,
    villageCode: WUMING,
    schoolId: null,
    grade: null,
    countyCode: DEMO_COUNTY_CODE,
    ...overrides,
  };
}

/** A report carrying an ID number, with the birth date and sex it tells. */
function withIdNumber(name: string, id: string, overrides: Partial<ChildReport> = {}): ChildReport {
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  return report(name, {
    idNumber: id,
    birthDate,
    birthYear: Number(birthDate.slice(0, 4)),
    birthYearExact: true,
    sex: Number(id[16]) % 2 ? 'male' : 'female',
    ...overrides,
  });
}

describe('the child registry', () => {
  let server: TestServer;
  let registry: ChildRegistry;
  let schoolId: string;
  let otherCountySchoolId: string;

  beforeAll(async () => {
    server = await startTestServer();
    registry = server.app.get(ChildRegistry);
    schoolId = (await server.dataSource.manager.findOneByOrFail(School, { name: DEMO_SCHOOL_NAME })).id;
    otherCountySchoolId = (await seedOtherCounty(server.dataSource)).schoolId;
  });
  afterAll(async () => server?.close());

  const resolve = (r: ChildReport, source: ChildSource = 'roster'): Promise<Resolution> =>
    transactionWithRetry(server.dataSource, (manager) => registry.resolve(manager, r, source));
  const row = (id: string) => server.dataSource.manager.findOneByOrFail(Child, { id });
  const reviewsOf = (childId: string) => server.dataSource.manager.findBy(ChildMatchReview, { childId });

  describe('resolves in the order of BRIEF §3a', () => {
    it('1. the same 学籍号, before anything a name could match', async () => {
      const pupil = await resolve(report('孙浩然', { studentNumber: 'G411522201401010011', schoolId, grade: 5 }));
      expect(pupil).toMatchObject({ created: true, rule: null });
      // a 孙浩然 of 张围孜村 born in 2010 fits the report's name, year and village: the 学籍号 decides first
      const namesake = await resolve(report('孙浩然', { villageCode: ZHANGWEIZI, birthYear: 2010 }), 'household');
      expect(namesake.created).toBe(true);
      const again = await resolve(report('孙浩然', { studentNumber: 'G411522201401010011', villageCode: ZHANGWEIZI, birthYear: 2010 }));
      expect(again).toMatchObject({ created: false, rule: 'student_number' });
      expect(again.child.id).toBe(pupil.child.id);
    });

    it('1. the same ID number, wherever the report places the child', async () => {
      const id = idNumber('41152220140203002');
      const first = await resolve(withIdNumber('钱雨桐', id));
      expect(first.created).toBe(true);
      const again = await resolve(withIdNumber('钱雨桐', id, { villageCode: ZHANGWEIZI }), 'tip');
      expect(again).toMatchObject({ created: false, rule: 'id_number' });
      expect(again.child.id).toBe(first.child.id);
    });

    it('2. the same normalised name, birth date and village', async () => {
      const known = await resolve(report('陈丽华', { birthDate: '2014-04-04', birthYear: 2014, birthYearExact: true }), 'household');
      const again = await resolve(report('陳麗華', { birthDate: '2014-04-04', birthYear: 2014, birthYearExact: true }), 'poverty');
      expect(again).toMatchObject({ created: false, rule: 'birth_date' });
      expect(again.child.id).toBe(known.child.id);
    });

    it('2. the same normalised name, birth date and school, from another village', async () => {
      const known = await resolve(
        report('郑国伟', {
          birthDate: '2014-05-05',
          birthYear: 2014,
          birthYearExact: true,
          schoolId,
          studentNumber: 'G411522201405050011',
        }),
      );
      const again = await resolve(
        report('鄭國偉', { birthDate: '2014-05-05', birthYear: 2014, birthYearExact: true, schoolId, villageCode: ZHANGWEIZI }),
        'school',
      );
      expect(again).toMatchObject({ created: false, rule: 'birth_date' });
      expect(again.child.id).toBe(known.child.id);
    });

    it('3. the same normalised name, birth year (±1 when estimated) and village', async () => {
      const known = await resolve(report('赵东', { birthYear: 2013 }), 'tip');
      const again = await resolve(report('趙 東', { birthYear: 2014 }), 'absence');
      expect(again).toMatchObject({ created: false, rule: 'birth_year' });
      expect(again.child.id).toBe(known.child.id);
    });

    it('4. otherwise a new child: another township, or years apart', async () => {
      const known = await resolve(report('张一鸣'));
      const far = await resolve(report('张一鸣', { villageCode: ZHANGWEIZI }));
      const older = await resolve(report('张一鸣', { birthYear: 2010 }));
      for (const other of [far, older]) {
        expect(other).toMatchObject({ created: true, rule: null });
        expect(other.child.id).not.toBe(known.child.id);
      }
      expect(await reviewsOf(far.child.id)).toEqual([]);
      expect(await reviewsOf(older.child.id)).toEqual([]);
    });

    it('lists a child of the same name and birth date in a neighbouring village for review, beside a new record', async () => {
      const known = await resolve(report('刘子涵', { birthDate: '2014-06-06', birthYear: 2014, birthYearExact: true }));
      const neighbour = await resolve(
        report('劉子涵', { birthDate: '2014-06-06', birthYear: 2014, birthYearExact: true, villageCode: LIYANWAN }),
        'household',
      );
      expect(neighbour.created).toBe(true);
      expect(await reviewsOf(neighbour.child.id)).toEqual([
        expect.objectContaining({ candidateId: known.child.id, reason: 'neighbouring_village', source: 'household', status: 'pending' }),
      ]);
    });
  });

  describe('an ID number reported under another name', () => {
    it('from a tip: a record of its own without the ID number, and the pair up for review', async () => {
      const id = idNumber('41152220140707003');
      const known = await resolve(withIdNumber('宋梓轩', id, { studentNumber: 'G411522201407070031', schoolId }));
      const tipped = await resolve(withIdNumber('宋小军', id), 'tip');
      expect(tipped).toMatchObject({ created: true, rule: null });
      expect(tipped.child.id).not.toBe(known.child.id);
      expect(await row(tipped.child.id)).toMatchObject({ name: '宋小军', idNumber: null, countyCode: DEMO_COUNTY_CODE });
      expect(await row(known.child.id)).toMatchObject({ name: '宋梓轩', idNumber: id });
      expect(await reviewsOf(tipped.child.id)).toEqual([
        expect.objectContaining({ candidateId: known.child.id, reason: 'identity_conflict', source: 'tip', status: 'pending' }),
      ]);
    });

    it('from a roster: the registry is authoritative, the report lands on the known child', async () => {
      const id = idNumber('41152220140808004');
      const known = await resolve(withIdNumber('李思远', id), 'tip');
      const rostered = await resolve(withIdNumber('李思源', id, { studentNumber: 'G411522201408080041', schoolId }));
      expect(rostered).toMatchObject({ created: false, rule: 'id_number' });
      expect(rostered.child.id).toBe(known.child.id);
      expect(await row(known.child.id)).toMatchObject({ studentNumber: 'G411522201408080041', schoolId });
    });

    it('held by another record than the 学籍号: the report lands on the 学籍号, the ID number stays, the pair is up for review', async () => {
      const id = idNumber('41152220140303009');
      const pupil = await resolve(report('冯欣怡', { studentNumber: 'G411522201403030091', schoolId }));
      const tipped = await resolve(withIdNumber('冯欣怡', id, { villageCode: ZHANGWEIZI }), 'tip');
      expect(tipped.created).toBe(true);
      const rostered = await resolve(withIdNumber('冯欣怡', id, { studentNumber: 'G411522201403030091', schoolId }));
      expect(rostered).toMatchObject({ created: false, rule: 'student_number' });
      expect(rostered.child.id).toBe(pupil.child.id);
      expect(await row(pupil.child.id)).toMatchObject({ idNumber: null, birthDate: '2014-03-03', birthYearExact: true });
      expect(await row(tipped.child.id)).toMatchObject({ idNumber: id });
      expect(await reviewsOf(pupil.child.id)).toEqual([
        expect.objectContaining({ candidateId: tipped.child.id, reason: 'identity_conflict', source: 'roster', status: 'pending' }),
      ]);
    });
  });

  describe('merged records', () => {
    it('are never matched; their survivor is, and old ids lead to it', async () => {
      const date = { birthDate: '2014-09-09', birthYear: 2014, birthYearExact: true };
      const manager = server.dataSource.manager;
      const merged = await registry.createSeparate(manager, report('周子墨', { ...date, idNumber: idNumber('41152220140909005') }));
      const survivor = await registry.createSeparate(manager, report('周子墨', { ...date, schoolId }));
      await manager.update(Child, { id: merged.id }, { mergedIntoId: survivor.id });

      // without the merge the two would be ambiguous and make a third record
      const byName = await resolve(report('周子墨', date), 'household');
      expect(byName).toMatchObject({ created: false, rule: 'birth_date' });
      expect(byName.child.id).toBe(survivor.id);
      const byIdNumber = await resolve(withIdNumber('周子墨', idNumber('41152220140909005')));
      expect(byIdNumber.created).toBe(false);
      expect(byIdNumber.child.id).toBe(survivor.id);

      expect((await registry.current(manager, merged.id))?.id).toBe(survivor.id);
      expect((await registry.current(manager, survivor.id))?.id).toBe(survivor.id);
      const last = await registry.createSeparate(manager, report('周子墨', { villageCode: LIYANWAN }));
      await manager.update(Child, { id: survivor.id }, { mergedIntoId: last.id });
      expect((await registry.current(manager, merged.id))?.id).toBe(last.id);
      expect(await registry.current(manager, 'no-such-child')).toBeNull();
    });
  });

  describe('the county of a new record', () => {
    it("is its village's county, else its school's, else the reporting county's", async () => {
      const byVillage = await resolve(report('吴佳怡', { villageCode: OTHER_COUNTY.village }));
      expect((await row(byVillage.child.id)).countyCode).toBe(OTHER_COUNTY.code);
      const bySchool = await resolve(report('吴佳怡', { villageCode: null, schoolId: otherCountySchoolId }));
      expect((await row(bySchool.child.id)).countyCode).toBe(OTHER_COUNTY.code);
      const byReport = await resolve(report('吴佳怡', { villageCode: null }), 'tip');
      expect((await row(byReport.child.id)).countyCode).toBe(DEMO_COUNTY_CODE);
      expect(new Set([byVillage.child.id, bySchool.child.id, byReport.child.id]).size).toBe(3);
    });
  });

  describe('a later report about a known child', () => {
    it('fills what the record did not know and never overwrites what it knew', async () => {
      const id = idNumber('41152220131010005');
      const tipped = await resolve(report('黄俊杰', { birthYear: 2014 }), 'tip');
      expect(await row(tipped.child.id)).toMatchObject({ sex: 'unknown', idNumber: null, birthDate: null, birthYearExact: false });

      // an ID number from the roster: step 3 (an estimate a year off the exact year) finds him
      const rostered = await resolve(withIdNumber('黄俊杰', id, { studentNumber: 'G411522201310100061', schoolId, grade: 6 }));
      expect(rostered).toMatchObject({ created: false, rule: 'birth_year' });
      const filled = {
        sex: 'male',
        idNumber: id,
        studentNumber: 'G411522201310100061',
        birthDate: '2013-10-10',
        birthYear: 2013,
        birthYearExact: true,
        villageCode: WUMING,
        schoolId,
        grade: 6,
        countyCode: DEMO_COUNTY_CODE,
      };
      expect(await row(tipped.child.id)).toMatchObject(filled);

      // a tip with other facts changes none of them
      const later = await resolve(
        withIdNumber('黄俊杰', id, { sex: 'female', villageCode: LIYANWAN, schoolId: otherCountySchoolId, grade: 3, birthYear: 2015 }),
        'tip',
      );
      expect(later).toMatchObject({ created: false, rule: 'id_number' });
      expect(await row(tipped.child.id)).toMatchObject(filled);
    });
  });

  describe('parallel reports of one new child', () => {
    const parallel = (r: ChildReport) => Promise.all(Array.from({ length: 20 }, () => resolve(r, 'tip')));
    const expectOne = (results: Resolution[]) => {
      expect(new Set(results.map((r) => r.child.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    };

    it('make one record when they carry an ID number', async () => {
      const id = idNumber('41152220140112007');
      expectOne(await parallel(withIdNumber('何雨萱', id)));
      expect(await server.dataSource.manager.countBy(Child, { idNumber: id })).toBe(1);
      // with no village to take turns at, the unique key alone decides
      const placeless = idNumber('41152220140113008');
      expectOne(await parallel(withIdNumber('何雨泽', placeless, { villageCode: null })));
      expect(await server.dataSource.manager.countBy(Child, { idNumber: placeless })).toBe(1);
    });

    it('make one record when they carry only the name, an age and the village', async () => {
      expectOne(await parallel(report('马浩宇', { sex: 'male', birthYear: 2013 })));
      expect(await server.dataSource.manager.countBy(Child, { nameKey: '马浩宇' })).toBe(1);
    });
  });
});
