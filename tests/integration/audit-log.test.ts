import { actorlessLabel, type AccessHistoryEntry, type AuditEntryView, type CaseDetail } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import type { Child } from '../../server/src/modules/children/child.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { api, expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_COUNTY, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

type AuditPage = { items: AuditEntryView[]; nextCursor: string | null };
type HistoryPage = { child: { id: string; name: string }; items: AccessHistoryEntry[]; nextCursor: string | null };

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The audit log as the county reads it (BRIEF §7, issue 15): every read, reveal, export, merge,
 * role and settings change and official's sign-in, with who, when, what and why, filtered by child,
 * person, kind and date, kept to the county (and to a township for its leaders), exportable, and
 * itself audited; a parent's view of which units read their child's record; full-ID exports only
 * with a reason.
 */
describe('the audit log', () => {
  let server: TestServer;
  let admin: ApiClient;
  let leader: ApiClient;
  let cadre: ApiClient;
  let supervisor: ApiClient;
  let parent: ApiClient;
  let otherAdmin: ApiClient;
  let zhaiheLeader: ApiClient;
  let pupil: Child;
  let duplicate: Child;
  let caseId: string;
  let tipId: string;
  let zhaiheCaseId: string;
  let adminId: string;
  let cadreId: string;

  const today = () => new Date(server.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

  async function auditPage(client: ApiClient, query = ''): Promise<AuditEntryView[]> {
    const response = await client.get<AuditPage>(`/audit?limit=100${query}`);
    expect(response.status).toBe(200);
    return response.body.items;
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    await seedOtherCounty(server.dataSource);
    [admin, leader, cadre, supervisor, parent] = await Promise.all(
      ['county-admin', 'township-leader', 'township-cadre', 'supervisor', 'parent'].map((a) => signInAs(server, a)),
    );
    adminId = (await admin.get<{ id: string }>('/me')).body.id;
    cadreId = (await cadre.get<{ id: string }>('/me')).body.id;
    otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    zhaiheLeader = await clientFor(
      server,
      await createUser(server.dataSource, {
        role: 'official',
        position: 'leader',
        unitDivisionCode: ZHAIHE,
        countyCode: DEMO_COUNTY,
        displayName: '寨河镇长',
      }),
    );

    // a pupil of 吴明村 bound to the demo parent, and a second record of the same child from an old list
    const schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    pupil = await createPupil(server.dataSource, { name: '审计测试', schoolId, grade: 4, bindingCode: 'AUDIT234' });
    duplicate = await createPupil(server.dataSource, {
      name: '审计测试',
      schoolId: null,
      idNumber: null,
      studentNumber: null,
      bindingCode: null,
      guardian: null,
    });
    const bound = await parent.post('/children/bind', { bindingCode: 'AUDIT234', childName: '审计测试', relation: 'mother' });
    expect(bound.status).toBe(200);

    // a supervisor reports the pupil; the township's cadre reads the case and reveals the tipster
    const tip = await fileTip(supervisor, { divisionCode: WUMING, child: { name: '审计测试', sex: 'male', idNumber: pupil.idNumber } });
    expect(tip.status).toBe(201);
    tipId = tip.body.tip.id;
    caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tipId })).caseId;
    expect((await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseId })).childId).toBe(pupil.id);
    expect((await cadre.get<CaseDetail>(`/cases/${caseId}`)).status).toBe(200);
    expect((await cadre.post(`/tips/${tipId}/reveal`, { reason: '需要向提供人核实孩子住址' })).status).toBe(200);

    // the county reads the old record's subsidies, then merges it into the pupil's
    expect((await admin.get(`/children/${duplicate.id}/subsidies`)).status).toBe(200);
    const merged = await admin.post('/children/merges', { survivorId: pupil.id, mergedId: duplicate.id, reason: '同一个孩子的两条记录' });
    expect(merged.status).toBe(201);
    expect((await admin.get<CaseDetail>(`/cases/${caseId}`)).status).toBe(200);

    // a case in 寨河镇, read by the county
    const zhaiheTip = await fileTip(supervisor, { divisionCode: ZHANGWEIZI, child: { name: '寨河审计' } });
    zhaiheCaseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: zhaiheTip.body.tip.id })).caseId;
    expect((await admin.get<CaseDetail>(`/cases/${zhaiheCaseId}`)).status).toBe(200);

    // a settings change and a role change (a WeChat user made an official of 十里镇 by invitation)
    expect((await admin.request('PUT', '/county/settings', { acknowledgeHours: 12 })).status).toBe(200);
    const invitation = await admin.post<{ code: string }>('/invitations', {
      role: 'official',
      position: 'cadre',
      unit: { kind: 'division', code: '411522101000' },
    });
    expect(invitation.status).toBe(201);
    const { client: newcomer } = await signInWithWechat(server, 'audit-newcomer');
    expect((await newcomer.post('/invitations/redeem', { code: invitation.body.code, displayName: '新干部' })).status).toBe(200);
  }, 60_000);
  afterAll(async () => server?.close());

  it('shows the county every act on a child’s record with who, when, what and why', async () => {
    const items = await auditPage(admin, `&childId=${pupil.id}`);
    const byAction = (action: string) => items.filter((i) => i.action === action);

    const cadreRead = byAction('case.read').find((i) => i.actor?.id === cadreId)!;
    expect(cadreRead).toMatchObject({
      actionLabel: '查看案件',
      category: 'read',
      actor: { name: '陈丽', role: 'official', unit: '十里镇 包抓干部' },
      child: { id: pupil.id, name: '审计测试' },
      target: '案件',
      reason: null,
    });
    expect(Date.parse(cadreRead.at)).toBeGreaterThan(Date.now() - 120_000);
    expect(byAction('case.read').find((i) => i.actor?.id === adminId)?.actor).toMatchObject({ name: '周国华', unit: '光山县教育局' });
    expect(byAction('tip.reveal_tipster')[0]).toMatchObject({
      actionLabel: '查看线索提供人',
      category: 'reveal',
      actor: { name: '陈丽' },
      reason: '需要向提供人核实孩子住址',
    });
    expect(byAction('child.merge')[0]).toMatchObject({ category: 'merge', reason: '同一个孩子的两条记录', actor: { name: '周国华' } });
    // what was read of the record merged into this one is about the same child
    expect(byAction('child.subsidies.read')[0]).toMatchObject({ child: { id: duplicate.id }, actor: { name: '周国华' } });
    // the parent's own acts are there too, the supervisor's tip is not an audited read
    expect(byAction('child.bind')[0]).toMatchObject({ category: 'family', actor: { name: '张秀英', role: 'parent', unit: '家长' } });
    // nothing of another child
    expect(items.every((i) => i.child === null || [pupil.id, duplicate.id].includes(i.child.id))).toBe(true);
    expect(items.some((i) => i.action === 'case.read' && i.actor?.id === adminId && i.child?.id !== pupil.id)).toBe(false);
  });

  it('has the sign-ins of officials, role changes and settings changes', async () => {
    const signIns = await auditPage(admin, '&category=sign_in');
    expect(signIns.find((i) => i.actor?.id === cadreId)).toMatchObject({
      action: 'auth.sign_in',
      actionLabel: '登录',
      actor: { unit: '十里镇 包抓干部' },
      details: '登录方式：演示账号',
    });
    // parents' and supervisors' sign-ins are not officials'
    expect(signIns.every((i) => i.actor?.role === 'official' || i.actor?.role === 'county_admin')).toBe(true);

    const accounts = await auditPage(admin, '&category=account');
    const redeem = accounts.find((i) => i.action === 'invitation.redeem')!;
    expect(redeem.actor).toMatchObject({ name: '新干部' });
    expect(redeem.details).toContain('原身份：家长');
    expect(accounts.some((i) => i.action === 'invitation.create' && i.actor?.id === adminId)).toBe(true);

    const settings = await auditPage(admin, '&category=settings');
    expect(settings.find((i) => i.action === 'county.settings')).toMatchObject({
      actionLabel: '修改本县时限与规则',
      target: '本县（光山县）',
      details: '修改项：受理新线索',
    });
  });

  it('filters by person, by kind of act and by date', async () => {
    const mine = await auditPage(admin, `&actorId=${cadreId}`);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.actor?.id === cadreId)).toBe(true);
    expect(mine.map((i) => i.action)).toEqual(expect.arrayContaining(['case.read', 'tip.reveal_tipster', 'auth.sign_in']));

    const reveals = await auditPage(admin, '&category=reveal');
    expect(reveals.map((i) => i.action)).toEqual(['tip.reveal_tipster']);

    expect((await auditPage(admin, `&from=${today()}&to=${today()}&actorId=${cadreId}`)).length).toBe(mine.length);
    expect(await auditPage(admin, `&to=2020-01-01`)).toEqual([]);
    const later = new Date(server.clock.now().getTime() + 3 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    expect(await auditPage(admin, `&from=${later}`)).toEqual([]);
    expectError(await admin.get(`/audit?from=${today()}&to=2020-01-01`), 400, 'VALIDATION_FAILED');
    const badCategory = expectError(await admin.get('/audit?category=everything'), 400, 'VALIDATION_FAILED');
    expect(Object.keys(badCategory.fields)).toEqual(['category']);
  });

  it('pages through the log, newest first', async () => {
    const first = await admin.get<AuditPage>('/audit?limit=2');
    expect(first.body.items).toHaveLength(2);
    const second = await admin.get<AuditPage>(`/audit?limit=2&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(4);
    expect([...ids].sort().reverse()).toEqual(ids);
    expectError(await admin.get('/audit?cursor=garbage'), 400, 'VALIDATION_FAILED');
  });

  it('audits every reading of the log', async () => {
    const readings = () => server.dataSource.manager.countBy(AuditEntry, { action: 'audit.read', actorId: adminId });
    const before = await readings();
    await auditPage(admin, `&childId=${pupil.id}&category=read`);
    expect(await readings()).toBe(before + 1);
    const [latest] = await auditPage(admin, '&category=audit');
    expect(latest).toMatchObject({
      action: 'audit.read',
      actionLabel: '查阅审计日志',
      actor: { name: '周国华' },
      child: { id: pupil.id },
      details: '操作类别：查阅儿童信息；条数：' + latest!.details.split('条数：')[1],
    });
  });

  it('keeps the county to its own log and a township leader to the township’s', async () => {
    // another county sees none of it: asking about the child reads as not found (and leaves no trace of it)
    expectError(await otherAdmin.get(`/audit?childId=${pupil.id}`), 404, 'NOT_FOUND');
    expectError(await zhaiheLeader.get(`/audit?childId=${pupil.id}`), 404, 'NOT_FOUND');
    const elsewhere = await auditPage(otherAdmin);
    expect(elsewhere.some((i) => i.child?.id === pupil.id || i.actor?.id === adminId || i.actor?.id === cadreId)).toBe(false);

    // a supervisor of 吴明村 agrees to the privacy guide: the county sees it, the township never learns its supervisors
    expect((await supervisor.post('/me/privacy-consent', { version: 'audit-test' })).status).toBe(201);
    const supervisorId = (await supervisor.get<{ id: string }>('/me')).body.id;
    expect((await auditPage(admin)).some((i) => i.action === 'privacy.consent' && i.actor?.id === supervisorId)).toBe(true);

    // nor who became one: a WeChat user redeems a supervisor code for 吴明村
    const code = await admin.post<{ code: string }>('/invitations', { role: 'supervisor', unit: { kind: 'division', code: WUMING } });
    expect(code.status).toBe(201);
    const { client: volunteer } = await signInWithWechat(server, 'audit-volunteer');
    expect((await volunteer.post('/invitations/redeem', { code: code.body.code, displayName: '新监督员' })).status).toBe(200);
    const volunteerId = (await volunteer.get<{ id: string }>('/me')).body.id;
    expect((await auditPage(admin)).some((i) => i.action === 'invitation.redeem' && i.actor?.id === volunteerId)).toBe(true);

    // 十里镇's leader: the acts on its children and by its officials, not 寨河镇's
    const shili = await auditPage(leader);
    expect(shili.some((i) => i.actor?.role === 'supervisor' || i.actor?.id === supervisorId || i.actor?.id === volunteerId)).toBe(false);
    expect(shili.some((i) => i.action === 'case.read' && i.actor?.id === cadreId)).toBe(true);
    expect(shili.some((i) => i.action === 'case.read' && i.actor?.id === adminId && i.child?.id === pupil.id)).toBe(true);
    expect(shili.some((i) => i.child?.name === '寨河审计')).toBe(false);
    // nor the county bureau's own settings and sign-ins
    expect(shili.some((i) => i.action === 'county.settings')).toBe(false);
    expect(shili.some((i) => i.action === 'auth.sign_in' && i.actor?.id === adminId)).toBe(false);

    const zhaihe = await auditPage(zhaiheLeader);
    expect(zhaihe.some((i) => i.child?.name === '寨河审计' && i.action === 'case.read')).toBe(true);
    expect(zhaihe.some((i) => i.child?.id === pupil.id || i.actor?.id === cadreId)).toBe(false);

    // the township's cadres, village cadres and schools do not read the log; parents and supervisors cannot call it
    expectError(await cadre.get('/audit'), 403, 'FORBIDDEN');
    expectError(await (await signInAs(server, 'village-cadre')).get('/audit'), 403, 'FORBIDDEN');
    expectError(await (await signInAs(server, 'school-staff')).get('/audit/export'), 403, 'FORBIDDEN');
    expectError(await parent.get('/audit'), 403, 'FORBIDDEN');
    expectError(await supervisor.get('/audit'), 403, 'FORBIDDEN');
  });

  it('exports the same entries as .xlsx, and audits the export', async () => {
    const response = await fetch(`${server.apiUrl}/audit/export?childId=${pupil.id}`, {
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX);
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('审计日志'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
    const sheet = workbook.getWorksheet('审计日志')!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header).toEqual(['时间（北京时间）', '操作人', '单位与身份', '操作', '类别', '儿童', '对象', '对象编号', '理由', '详情']);
    const rows = sheet.getRows(2, sheet.rowCount - 1)!.map((row) => Object.fromEntries(header.map((h, i) => [h, row.getCell(i + 1).text])));

    // the list read now starts with the export itself, then the same entries
    const [exported, ...listed] = await auditPage(admin, `&childId=${pupil.id}`);
    expect(exported).toMatchObject({ action: 'audit.export', actor: { name: '周国华' }, child: { id: pupil.id } });
    expect(rows.map((r) => [r['操作'], r['操作人'], r['儿童'], r['理由']])).toEqual(
      listed.map((i) => [i.actionLabel, i.actor?.name ?? actorlessLabel(i.category), i.child?.name ?? '', i.reason ?? '']),
    );
    const reveal = rows.find((r) => r['操作'] === '查看线索提供人')!;
    expect(reveal).toMatchObject({ 操作人: '陈丽', 单位与身份: '十里镇 包抓干部', 类别: '查看线索提供人', 对象编号: tipId });
    expect(reveal['时间（北京时间）']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // no ID number in the file
    expect(JSON.stringify(rows)).not.toContain(pupil.idNumber!);
  });

  it('shows a parent which units read their child’s record, when and why, never a name and never the tipster', async () => {
    const response = await parent.get<HistoryPage>(`/children/${pupil.id}/access-history`);
    expect(response.status).toBe(200);
    const { child, items } = response.body;
    expect(child).toEqual({ id: pupil.id, name: '审计测试' });
    // the township's read of the case, by unit and role
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unit: '十里镇 包抓干部', action: '查看案件', purpose: '办理控辍保学案件' }),
        expect.objectContaining({ unit: '光山县教育局', action: '查看案件' }),
        expect.objectContaining({ unit: '光山县教育局', action: '合并儿童记录' }),
        // read on the record since merged into this one
        expect.objectContaining({ unit: '光山县教育局', action: '查看资助情况', purpose: '办理学生资助' }),
      ]),
    );
    const everything = JSON.stringify(response.body);
    // officials by unit, not by name; the tipster, and the reveal of the tipster, nowhere
    for (const hidden of ['陈丽', '周国华', '李建国', '线索', '需要向提供人核实']) expect(everything).not.toContain(hidden);
    // the parent's own acts and the reading of the log are not "units that read the record"
    expect(items.some((i) => i.action === '绑定孩子' || i.action.includes('审计'))).toBe(false);
    // newest first
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());

    // the reading is audited, for the county to see
    const [reading] = await auditPage(
      admin,
      `&childId=${pupil.id}&category=audit&actorId=${(await parent.get<{ id: string }>('/me')).body.id}`,
    );
    expect(reading).toMatchObject({ action: 'child.access_history.read', actor: { role: 'parent' } });

    // an old link with the merged record's id leads to the same history
    expect((await parent.get<HistoryPage>(`/children/${duplicate.id}/access-history`)).body.child.id).toBe(pupil.id);
  });

  it('shows the access history to the child’s bound guardians only', async () => {
    const { client: stranger } = await signInWithWechat(server, 'audit-stranger');
    expectError(await stranger.get(`/children/${pupil.id}/access-history`), 404, 'NOT_FOUND');
    expectError(await cadre.get(`/children/${pupil.id}/access-history`), 403, 'FORBIDDEN');
    expectError(await admin.get(`/children/${pupil.id}/access-history`), 403, 'FORBIDDEN');
    expectError(await api(server).get(`/children/${pupil.id}/access-history`), 401, 'UNAUTHENTICATED');
  });

  it('exports full ID numbers only with a reason, which the log shows', async () => {
    const missing = expectError(await admin.get('/cases/ledger?revealIds=true'), 400, 'VALIDATION_FAILED');
    expect(missing.fields).toEqual({ reason: '导出完整身份证号须说明理由' });
    const short = expectError(
      await admin.get(`/cases/ledger?revealIds=true&reason=${encodeURIComponent('核对')}`),
      400,
      'VALIDATION_FAILED',
    );
    expect(short.fields).toEqual({ reason: '导出理由至少5个字' });
    const exports = () => server.dataSource.manager.countBy(AuditEntry, { action: 'ledger.export' });
    const before = await exports();
    expect((await admin.get('/cases/ledger')).status).toBe(200);
    const reason = '向县公安局核对户籍，须完整身份证号';
    const full = await admin.get(`/cases/ledger?revealIds=true&reason=${encodeURIComponent(reason)}`);
    expect(full.status).toBe(200);
    expect(await exports()).toBe(before + 2);
    const [latest, masked] = await auditPage(admin, '&category=export');
    expect(latest).toMatchObject({ action: 'ledger.export', reason, actor: { name: '周国华' }, target: '台账（光山县）' });
    expect(latest!.details).toContain('完整身份证号：是');
    expect(masked).toMatchObject({ reason: null });
    expect(masked!.details).toContain('完整身份证号：否');
  });
});
