import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../server/src/database/data-source';
import { User } from '../../server/src/modules/accounts/user.entity';
import { Session } from '../../server/src/modules/auth/session.entity';
import { ServedCounty } from '../../server/src/modules/divisions/division.entity';
import { Invitation } from '../../server/src/modules/invitations/invitation.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { newId } from '../../server/src/common/ids';
import { printedCode, runCli, type CliResult } from '../support/cli';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { hashToken } from '../../server/src/modules/auth/sessions.service';

/**
 * Issue 15 item 1: each operator command on its own — what it refuses (with the exit code and a
 * sentence naming the problem), and that running it again gives the same result.
 */
const DONGXIANG = '622926000000';
const DIVISIONS_FILE = join(__dirname, '../fixtures/divisions-622926-dongxiang.csv');
const GUANGSHAN_FILE = join(__dirname, '../../server/data/divisions-411522-guangshan.csv');

function csv(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bx-cli-')), 'schools.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function refused(result: CliResult, status: number, message: string | RegExp): void {
  expect({ status: result.status, stdout: result.stdout }).toEqual({ status, stdout: '' });
  expect(result.stderr).toMatch(message);
}

describe('operator commands', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let cli: (...args: string[]) => Promise<CliResult>;

  beforeAll(async () => {
    db = await createTestDatabase();
    cli = (...args) => runCli(db.url, args);
    // the first command creates and migrates the database
    expect((await cli('list-counties')).stdout).toContain('No county is served yet');
    dataSource = await createDataSource(db.config);
    await dataSource.initialize();
  }, 60_000);
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('refuses wrong arguments with 64 and says what is wrong', async () => {
    refused(await cli('onboard-county'), 64, /missing <countyCode>/);
    refused(await cli('onboard-county', '622926100000'), 64, /"622926100000" is not a county code/);
    refused(await cli('onboard-county', DONGXIANG, '--school', 'x.xlsx'), 64, /Unknown option '--school'/);
    refused(await cli('list-counties', 'extra'), 64, /unexpected argument "extra"/);
    refused(await cli('invite-county-admin', DONGXIANG), 64, /--name <name> is required/);
    refused(await cli('list-county-admins', DONGXIANG, '--name', '马明'), 64, /--name is not an option of this command/);
    refused(await cli('school-template'), 64, /give the file to write/);
  }, 60_000);

  it('onboards only a county whose divisions are there, and changes nothing when run again', async () => {
    refused(
      await cli('onboard-county', DONGXIANG),
      65,
      /divisions of 622926000000 are not imported yet: give its division file with --divisions/,
    );
    refused(await cli('onboard-county', DONGXIANG, '--divisions', '/no/such/file.csv'), 66, /cannot read \/no\/such\/file\.csv/);
    // the file of another county holds none of it: refused, not served
    refused(await cli('onboard-county', DONGXIANG, '--divisions', GUANGSHAN_FILE), 65, /hold no county 622926000000/);
    expect(await dataSource.manager.countBy(ServedCounty, { code: DONGXIANG })).toBe(0);

    // a school list with problems: every problem by line, nothing imported, the county not served yet
    const bad = csv([
      '学校名称,学段,学校标识码,所在区划代码,乡镇,村',
      '东乡族自治县锁南镇中心小学,小学,123,,锁南镇,',
      '东乡族自治县光山小学,小学,,411522101000,,',
      '东乡族自治县某某小学,高中,,,不存在镇,',
      '东乡族自治县巴牙小学,小学,,,锁南镇,没有这个村',
    ]);
    const refusedSchools = await cli('onboard-county', DONGXIANG, '--divisions', DIVISIONS_FILE, '--schools', bad);
    expect(refusedSchools.status).toBe(65);
    expect(refusedSchools.stderr.split('\n').filter((l) => l.startsWith('  line'))).toEqual([
      '  line 2 (学校标识码): 学校标识码应为10位数字',
      '  line 3 (所在区划代码): 区划代码 411522101000 不在本县范围内',
      '  line 4 (学段): 学段“高中”不正确，应为小学、初中或九年一贯制',
      '  line 4 (乡镇): 本县没有名为“不存在镇”的乡镇',
      '  line 5 (村): 锁南镇没有名为“没有这个村”的村',
    ]);
    expect(await dataSource.manager.countBy(School, { countyCode: DONGXIANG })).toBe(0);
    expect(await dataSource.manager.countBy(ServedCounty, { code: DONGXIANG })).toBe(0);

    const good = csv([
      '学校名称,学段,学校标识码,所在区划代码,乡镇,村',
      '东乡族自治县锁南镇中心小学,小学,2162200001,,锁南镇,',
      '东乡族自治县第一中学,初中,,622926100000,,',
    ]);
    const first = await cli('onboard-county', DONGXIANG, '--schools', good);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('schools: 2 rows read (2 new, 0 updated, 0 unchanged)');
    expect(first.stdout).toContain('now served');
    expect(first.stdout).toContain(`invite-county-admin ${DONGXIANG}`);
    const second = await cli('onboard-county', DONGXIANG, '--divisions', DIVISIONS_FILE, '--schools', good);
    expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' });
    expect(second.stdout).toContain('233 rows read (0 new, 233 already there)');
    expect(second.stdout).toContain('schools: 2 rows read (0 new, 0 updated, 2 unchanged)');
    expect(second.stdout).toContain('served already');
    expect(await dataSource.manager.countBy(School, { countyCode: DONGXIANG })).toBe(2);
    // a corrected list updates the same schools (by 学校标识码, else by name in the township)
    const corrected = csv([
      '学校名称,学段,学校标识码,所在区划代码,乡镇,村,地址',
      '东乡族自治县锁南镇第一小学,小学,2162200001,,锁南镇,,',
      '东乡族自治县第一中学,九年一贯制,,622926100000,,,锁南镇',
    ]);
    expect((await cli('onboard-county', DONGXIANG, '--schools', corrected)).stdout).toContain('(0 new, 2 updated, 0 unchanged)');
    const schools = await dataSource.manager.find(School, { where: { countyCode: DONGXIANG }, order: { name: 'ASC' } });
    expect(schools.map((s) => [s.name, s.stage, s.code])).toEqual([
      ['东乡族自治县第一中学', 'both', null],
      ['东乡族自治县锁南镇第一小学', 'primary', '2162200001'],
    ]);
    // the settings the county has are kept: onboarding again never resets them
    await dataSource.manager.update(ServedCounty, { code: DONGXIANG }, { settings: { tipsPerSupervisorPerDay: 3 } });
    await cli('onboard-county', DONGXIANG);
    expect((await dataSource.manager.findOneByOrFail(ServedCounty, { code: DONGXIANG })).settings).toEqual({ tipsPerSupervisorPerDay: 3 });
  }, 120_000);

  it('prints a county admin code once, and replaces the unused code of the same person when run again', async () => {
    refused(await cli('invite-county-admin', '411521000000', '--name', '李四'), 65, /411521000000 is not served by this deployment/);
    refused(await cli('invite-county-admin', DONGXIANG, '--name', '马'), 64, /--name: 姓名至少2个字/);
    refused(
      await cli('invite-county-admin', DONGXIANG, '--name', '马明', '--hours', '0'),
      64,
      /--hours must be a whole number of hours from 1 to 720/,
    );

    const first = await cli('invite-county-admin', DONGXIANG, '--name', '马明', '--hours', '48');
    expect(first.status).toBe(0);
    const firstCode = printedCode(first);
    const second = await cli('invite-county-admin', DONGXIANG, '--name', '马明');
    const secondCode = printedCode(second);
    expect(second.stdout).toContain('replaces 1 earlier unused code(s) for the same name');
    expect(secondCode).not.toBe(firstCode);
    const other = printedCode(await cli('invite-county-admin', DONGXIANG, '--name', '马文'));

    const stored = await dataSource.manager.find(Invitation, { where: { countyCode: DONGXIANG }, order: { createdAt: 'ASC' } });
    expect(stored.map((i) => [i.note, i.role, i.unitDivisionCode, i.createdBy, i.revokedAt !== null])).toEqual([
      ['马明', 'county_admin', DONGXIANG, null, true],
      ['马明', 'county_admin', DONGXIANG, null, false],
      ['马文', 'county_admin', DONGXIANG, null, false],
    ]);
    // only hashes are kept
    expect(stored.map((i) => i.codeHash)).toEqual([hashToken(firstCode), hashToken(secondCode), hashToken(other)]);
    expect(Date.parse(stored[0]!.expiresAt.toISOString()) - Date.parse(stored[0]!.createdAt.toISOString())).toBe(48 * 3_600_000);
    expect(Date.parse(stored[1]!.expiresAt.toISOString()) - Date.parse(stored[1]!.createdAt.toISOString())).toBe(168 * 3_600_000);

    const listed = await cli('list-county-admins', DONGXIANG);
    expect(listed.stdout).toContain('0 county admins');
    expect(listed.stdout).toContain('Unused county admin codes (2)');
    expect(listed.stdout).toMatch(new RegExp(`马明\\s+${secondCode.slice(-2)}\\s`));
  }, 120_000);

  it('prints a region admin code for a prefecture or province with a served county, replacing the same person’s unused one', async () => {
    refused(await cli('invite-region-admin', '6229'), 64, /--name <name> is required/);
    refused(await cli('invite-region-admin', DONGXIANG, '--name', '马光'), 64, /"622926000000" is not a prefecture or province/);
    refused(await cli('invite-region-admin', '622', '--name', '马光'), 64, /is not a prefecture or province/);
    refused(await cli('invite-region-admin', '4115', '--name', '马光'), 65, /no county of 4115 is served by this deployment/);
    refused(await cli('invite-region-admin', '6229', '--name', '马光', '--hours', '721'), 64, /--hours must be a whole number/);

    const first = await cli('invite-region-admin', '6229', '--name', '马光');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('(622900000000; 1 served counties)');
    const again = await cli('invite-region-admin', '622900000000', '--name', '马光');
    expect(again.stdout).toContain('replaces 1 earlier unused code(s) for the same name');
    const province = await cli('invite-region-admin', '62', '--name', '甘省');
    expect(province.status).toBe(0);

    const stored = await dataSource.manager.find(Invitation, { where: { role: 'region_admin' }, order: { createdAt: 'ASC' } });
    expect(stored.map((i) => [i.note, i.unitDivisionCode, i.countyCode, i.createdBy, i.revokedAt !== null])).toEqual([
      ['马光', '622900000000', '622900000000', null, true],
      ['马光', '622900000000', '622900000000', null, false],
      ['甘省', '620000000000', '620000000000', null, false],
    ]);
    expect(stored.map((i) => i.codeHash)).toEqual([printedCode(first), printedCode(again), printedCode(province)].map(hashToken));
    // the county's admins never see them
    expect((await cli('list-county-admins', DONGXIANG)).stdout).not.toContain('马光');
  }, 120_000);

  it('revokes a county admin by id or name: signed out, a parent again; again is harmless', async () => {
    const admin = async (displayName: string) => {
      const user = await dataSource.manager.save(
        dataSource.manager.create(User, {
          id: newId(),
          openid: `o_${newId()}`,
          demoAccount: null,
          role: 'county_admin',
          displayName,
          position: null,
          unitDivisionCode: DONGXIANG,
          unitSchoolId: null,
          countyCode: DONGXIANG,
          disabled: false,
        }),
      );
      await dataSource.manager.insert(Session, {
        id: newId(),
        tokenHash: hashToken(`bx1_${user.id}`),
        userId: user.id,
        wechatSessionKey: null,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 3_600_000),
        revokedAt: null,
      });
      return user;
    };
    const [a, b] = [await admin('马建国'), await admin('马建国')];
    const listed = await cli('list-county-admins', DONGXIANG);
    expect(listed.stdout).toContain('2 county admins');
    expect(listed.stdout).toContain(a.id);

    // two admins bear the name: the operator must pick one by id
    const ambiguous = await cli('revoke-county-admin', DONGXIANG, '马建国');
    expect(ambiguous.status).toBe(65);
    expect(ambiguous.stderr).toContain('several county admins of 622926000000 are named 马建国');
    expect(ambiguous.stderr).toContain(a.id);
    expect(ambiguous.stderr).toContain(b.id);
    // not an admin of another county, nor of a county not served
    refused(await cli('revoke-county-admin', '411522000000', a.id), 65, /411522000000 is not served/);

    const revoked = await cli('revoke-county-admin', DONGXIANG, a.id);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain(`马建国 (${a.id}) is no longer a county admin of ${DONGXIANG}`);
    const demoted = await dataSource.manager.findOneByOrFail(User, { id: a.id });
    expect(demoted).toMatchObject({ role: 'parent', position: null, unitDivisionCode: null, countyCode: null, disabled: false });
    expect((await dataSource.manager.findOneByOrFail(Session, { userId: a.id })).revokedAt).not.toBeNull();
    expect((await dataSource.manager.findOneByOrFail(Session, { userId: b.id })).revokedAt).toBeNull();

    // now the name is unique; by id again, nothing to do
    const again = await cli('revoke-county-admin', DONGXIANG, a.id);
    expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
    expect(again.stdout).toMatch(/is no longer a county admin of 622926000000: revoked on \d{4}-\d\d-\d\d \d\d:\d\d; nothing to do/);
    expect(revoked.stdout).not.toContain('has no county admin now');
    const byName = await cli('revoke-county-admin', DONGXIANG, '马建国');
    expect(byName.stdout).toContain(`马建国 (${b.id}) is no longer a county admin`);
    expect(byName.stdout).toContain(`${DONGXIANG} has no county admin now: invite-county-admin ${DONGXIANG}`);
    expect((await cli('list-counties')).stdout).toMatch(/622926000000\s+东乡族自治县\s+24\s+208\s+2\s+0\s+2/);
  }, 120_000);

  it('writes the school list template', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bx-cli-')), 'schools.xlsx');
    const written = await cli('school-template', file);
    expect(written.status).toBe(0);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets[0]!.getRow(1).values).toEqual([
      undefined,
      '学校名称＊',
      '学段＊',
      '学校标识码',
      '所在区划代码',
      '乡镇',
      '村',
      '地址',
    ]);
  }, 60_000);
});
