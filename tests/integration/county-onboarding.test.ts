import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountView, CaseDetail, CaseListItem, DivisionView, InvitationView, Me, SchoolView } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { IsNull } from 'typeorm';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { expectError, signInAs, signInWithWechat } from '../support/api';
import { printedCode, runCli, type CliResult } from '../support/cli';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, WUMING } from '../support/tips';

/**
 * Issue 15: a second county starts with nothing but the README's commands and the app. The operator
 * onboards 东乡族自治县 (divisions and schools from files, marked served) and prints the code of its
 * first county admin; that WeChat user invites a supervisor and a township leader; a tip is routed
 * to the township; and 东乡 and 光山 (the demo county beside it) never see each other's records.
 */
const DONGXIANG = '622926000000';
const SUONAN = '622926100000'; // 锁南镇
const BAYA = '622926100202'; // 巴牙村委会, 锁南镇
const DABAN = '622926101000'; // 达板镇
const DIVISIONS_FILE = join(__dirname, '../fixtures/divisions-622926-dongxiang.csv');

type Page<T> = { items: T[] };

function expectOk(result: CliResult): CliResult {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  return result;
}

/** The school list an operator fills in from the template `school-template` writes. */
async function fillSchoolList(template: string, rows: string[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(template);
  const sheet = workbook.worksheets[0]!;
  sheet.spliceRows(2, 1); // the example row
  for (const row of rows) sheet.addRow(row);
  const file = join(mkdtempSync(join(tmpdir(), 'bx-schools-')), '东乡县学校名册.xlsx');
  await workbook.xlsx.writeFile(file);
  return file;
}

describe('a county onboarded through the command line and the app', () => {
  let server: TestServer;
  let cli: (...args: string[]) => Promise<CliResult>;
  let schoolsFile: string;

  beforeAll(async () => {
    server = await startTestServer();
    cli = (...args) => runCli(server.databaseUrl, args);
    const template = join(mkdtempSync(join(tmpdir(), 'bx-template-')), 'template.xlsx');
    expectOk(await cli('school-template', template));
    schoolsFile = await fillSchoolList(template, [
      ['东乡族自治县锁南镇中心小学', '小学', '2162200001', '', '锁南镇', '', '锁南镇团结路'],
      ['东乡族自治县第一中学', '初中', '', SUONAN, '', '', ''],
      ['东乡族自治县巴牙小学', '小学', '', '', '锁南镇', '巴牙村委会', ''],
      ['东乡族自治县达板镇中心学校', '九年一贯制', '', DABAN, '', '', ''],
    ]);
  }, 120_000);
  afterAll(async () => server?.close());

  it('goes from nothing to its first routed tip, blind to the other county', async () => {
    // the demo county is the only one served
    const before = expectOk(await cli('list-counties'));
    expect(before.stdout).toMatch(/411522000000\s+光山县/);
    expect(before.stdout).not.toContain(DONGXIANG);
    // an admin code for a county not served yet is refused, with the command to run first
    const early = await cli('invite-county-admin', DONGXIANG, '--name', '马明');
    expect(early.status).toBe(65);
    expect(early.stderr).toContain(`onboard-county ${DONGXIANG}`);

    // 1. the operator onboards the county: its divisions, its schools, served
    const onboarded = expectOk(await cli('onboard-county', DONGXIANG, '--divisions', DIVISIONS_FILE, '--schools', schoolsFile));
    expect(onboarded.stdout).toContain('东乡族自治县 (622926000000)');
    expect(onboarded.stdout).toMatch(/divisions: 233 rows read \(233 new, 0 already there\)/);
    expect(onboarded.stdout).toMatch(/24 townships and 208 villages/);
    expect(onboarded.stdout).toMatch(/schools: 4 rows read \(4 new, 0 updated, 0 unchanged\)/);
    expect(onboarded.stdout).toContain('now served');
    // running it again changes nothing
    const again = expectOk(await cli('onboard-county', DONGXIANG, '--divisions', DIVISIONS_FILE, '--schools', schoolsFile));
    expect(again.stdout).toMatch(/233 rows read \(0 new, 233 already there\)/);
    expect(again.stdout).toMatch(/schools: 4 rows read \(0 new, 0 updated, 4 unchanged\)/);
    expect(again.stdout).toContain('served already');

    // 2. the first county admin's code, printed once
    const invited = expectOk(await cli('invite-county-admin', DONGXIANG, '--name', '马明'));
    expect(invited.stdout).toContain('东乡族自治县');
    expect(invited.stdout).toMatch(/expires: \d{4}-\d\d-\d\d \d\d:\d\d/);
    const adminCode = printedCode(invited);
    expect(expectOk(await cli('list-county-admins', DONGXIANG)).stdout).toMatch(/马明\s+\S{2}\s+.*the operator/);

    // 3. a WeChat user redeems it in the app and runs the county
    const { client: admin } = await signInWithWechat(server, 'o_dongxiang_admin');
    const me = await admin.post<Me>('/invitations/redeem', { code: adminCode, displayName: '马明' });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      role: 'county_admin',
      position: null,
      unit: { kind: 'division', code: DONGXIANG, name: '东乡族自治县' },
    });
    expectError(await admin.post('/invitations/redeem', { code: adminCode, displayName: '马明' }), 403, 'FORBIDDEN');
    expect((await admin.get<Page<DivisionView>>('/divisions/served')).body.items.map((d) => d.code)).toContain(DONGXIANG);
    const schools = await admin.get<Page<SchoolView>>(`/schools?under=${DONGXIANG}`);
    expect(schools.body.items.map((s) => s.name).sort()).toEqual(
      ['东乡族自治县巴牙小学', '东乡族自治县第一中学', '东乡族自治县达板镇中心学校', '东乡族自治县锁南镇中心小学'].sort(),
    );
    expect(schools.body.items.find((s) => s.name === '东乡族自治县巴牙小学')).toMatchObject({ townshipCode: SUONAN, villageCode: BAYA });

    // 4. it invites a supervisor of 巴牙村 and the leader of 锁南镇
    const invite = async (body: Record<string, unknown>) => {
      const created = await admin.post<InvitationView & { code: string }>('/invitations', body);
      expect(created.status).toBe(201);
      return created.body.code;
    };
    const supervisorCode = await invite({ role: 'supervisor', unit: { kind: 'division', code: BAYA } });
    const leaderCode = await invite({ role: 'official', position: 'leader', unit: { kind: 'division', code: SUONAN } });
    // not for a unit of 光山县
    expectError(
      await admin.post('/invitations', { role: 'official', position: 'leader', unit: { kind: 'division', code: '411522101000' } }),
      403,
      'FORBIDDEN',
    );
    const { client: supervisor } = await signInWithWechat(server, 'o_dongxiang_supervisor');
    expect((await supervisor.post<Me>('/invitations/redeem', { code: supervisorCode, displayName: '马哈木' })).body.role).toBe(
      'supervisor',
    );
    const { client: leader } = await signInWithWechat(server, 'o_suonan_leader');
    expect((await leader.post<Me>('/invitations/redeem', { code: leaderCode, displayName: '汪志华' })).body).toMatchObject({
      role: 'official',
      position: 'leader',
      unit: { code: SUONAN },
    });

    // 5. a tip in the new county reaches the township
    const tip = await fileTip(supervisor, { divisionCode: BAYA, child: { name: '马小花', sex: 'female', age: 12 } });
    expect(tip.status).toBe(201);
    const inbox = await leader.get<Page<CaseListItem>>('/cases');
    const dongxiangCase = inbox.body.items.find((c) => c.child.name === '马小花');
    expect(dongxiangCase).toMatchObject({ townshipCode: SUONAN, townshipName: '锁南镇' });
    expect((await admin.get<CaseDetail>(`/cases/${dongxiangCase!.id}`)).status).toBe(200);

    // 6. each county is blind to the other
    const guangshanSupervisor = await signInAs(server, 'supervisor');
    expect((await fileTip(guangshanSupervisor, { divisionCode: WUMING, child: { name: '王小军', sex: 'male', age: 10 } })).status).toBe(
      201,
    );
    const guangshanAdmin = await signInAs(server, 'county-admin');
    const guangshanCase = (await guangshanAdmin.get<Page<CaseListItem>>('/cases')).body.items.find((c) => c.child.name === '王小军')!;
    expect(guangshanCase).toBeDefined();
    expect((await guangshanAdmin.get<Page<CaseListItem>>('/cases')).body.items.map((c) => c.id)).not.toContain(dongxiangCase!.id);
    expectError(await guangshanAdmin.get(`/cases/${dongxiangCase!.id}`), 404, 'NOT_FOUND');
    expect((await admin.get<Page<CaseListItem>>('/cases')).body.items.map((c) => c.id)).toEqual([dongxiangCase!.id]);
    expectError(await admin.get(`/cases/${guangshanCase.id}`), 404, 'NOT_FOUND');
    expectError(await leader.get(`/cases/${guangshanCase.id}`), 404, 'NOT_FOUND');
    const shiliLeader = await signInAs(server, 'township-leader');
    expectError(await shiliLeader.get(`/cases/${dongxiangCase!.id}`), 404, 'NOT_FOUND');
    // accounts too: each admin lists their own county's
    const accounts = (await admin.get<Page<AccountView>>('/accounts')).body.items.map((a) => a.displayName).sort();
    expect(accounts).toEqual(['汪志华', '马哈木', '马明'].sort());
    expect((await guangshanAdmin.get<Page<AccountView>>('/accounts')).body.items.map((a) => a.displayName)).not.toContain('马明');

    // 7. the operator sees the county's state
    const counties = expectOk(await cli('list-counties'));
    expect(counties.stdout).toMatch(/622926000000\s+东乡族自治县\s+24\s+208\s+4\s+1\s+0/);
    expect(counties.stdout).toMatch(/411522000000\s+光山县/);
  }, 180_000);

  it('lets a county admin invite a second admin of their own county only, and the operator revoke one', async () => {
    const { client: first } = await signInWithWechat(server, 'o_dongxiang_admin');
    expect((await first.get<Me>('/me')).body.role).toBe('county_admin');
    // never for the other county
    expectError(
      await first.post('/invitations', { role: 'county_admin', unit: { kind: 'division', code: '411522000000' } }),
      403,
      'FORBIDDEN',
    );
    const created = await first.post<InvitationView & { code: string }>('/invitations', {
      role: 'county_admin',
      unit: { kind: 'division', code: DONGXIANG },
      note: '副局长 马文',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'county_admin', position: null, issuedByName: '马明', unit: { code: DONGXIANG } });
    const { client: second } = await signInWithWechat(server, 'o_dongxiang_admin_2');
    expect((await second.post<Me>('/invitations/redeem', { code: created.body.code, displayName: '马文' })).body.role).toBe('county_admin');
    // the operator-issued code shows in the county's list, issued by no one of the county
    const listed = (await first.get<Page<InvitationView>>('/invitations?status=used')).body.items;
    expect(listed.find((i) => i.role === 'county_admin' && i.issuedByName === null)).toMatchObject({ usedByName: '马明', note: '马明' });

    const admins = expectOk(await cli('list-county-admins', DONGXIANG));
    expect(admins.stdout).toContain('2 county admins');
    expect(admins.stdout).toMatch(/马明/);
    expect(admins.stdout).toMatch(/马文/);

    // 马明 issues a code, then loses the role: signed out at once, and the code no longer works
    const pending = await first.post<InvitationView & { code: string }>('/invitations', {
      role: 'supervisor',
      unit: { kind: 'division', code: BAYA },
    });
    const sessionOfFirst = first;
    const revoked = expectOk(await cli('revoke-county-admin', DONGXIANG, '马明'));
    expect(revoked.stdout).toContain('马明');
    expect(revoked.stdout).toContain('signed out everywhere');
    expect(revoked.stdout).toMatch(/1 unused invitation code/);
    expectError(await sessionOfFirst.get('/me'), 401, 'SESSION_EXPIRED');
    const { client: late } = await signInWithWechat(server, 'o_late_supervisor');
    expectError(await late.post('/invitations/redeem', { code: pending.body.code, displayName: '迟到者' }), 400, 'INVITATION_REVOKED');
    // signing in again, the person is a parent
    const { client: again } = await signInWithWechat(server, 'o_dongxiang_admin');
    expect((await again.get<Me>('/me')).body).toMatchObject({ role: 'parent', unit: null });
    expectError(await again.get('/invitations'), 403, 'FORBIDDEN');
    // the other admin still works
    expect((await second.get('/invitations')).status).toBe(200);

    // revoking again is harmless and says so; an unknown name is an error
    const twice = expectOk(await cli('revoke-county-admin', DONGXIANG, '马明'));
    expect(twice.stdout).toMatch(/马明 \(\S+\) is no longer a county admin of 622926000000: revoked on .*nothing to do/);
    const unknown = await cli('revoke-county-admin', DONGXIANG, '张三');
    expect(unknown.status).toBe(65);
    expect(unknown.stderr).toContain('no county admin with the id or name "张三"');
    expect(expectOk(await cli('list-county-admins', DONGXIANG)).stdout).toContain('1 county admin');

    // every step of the operator is audited, with no user as its actor
    const operatorActs = await server.dataSource.manager.find(AuditEntry, { where: { actorId: IsNull() } });
    const actions = operatorActs.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['school.import', 'county.onboard', 'invitation.create', 'account.revoke_county_admin']),
    );
  }, 120_000);
});
