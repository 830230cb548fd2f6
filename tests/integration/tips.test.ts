import { randomUUID } from 'node:crypto';
import { idNumberCheckCharacter, type CaseDetail, type CaseListItem, type OwnTipView } from '@baoxue/shared';
import sharp from 'sharp';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { DivisionRecords } from '../../server/src/modules/divisions/division-records';
import { Division } from '../../server/src/modules/divisions/division.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { Upload } from '../../server/src/modules/uploads/upload.entity';
import { api, expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit, SHILI, tipBody, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

type CasePage = { items: CaseListItem[]; nextCursor: string | null; overdueCount: number };

describe('tips: routing, duplicates, protection', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let shiliCadre: ApiClient;
  let zhaiheCadre: ApiClient;
  let villageCadre: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [supervisor, shiliCadre, zhaiheCadre, villageCadre, admin] = await Promise.all(
      ['supervisor', 'township-cadre', 'zhaihe-cadre', 'village-cadre', 'county-admin'].map((a) => signInAs(server, a)),
    );
  });
  afterAll(async () => server?.close());

  const tipCount = () => server.dataSource.manager.count(Tip);

  async function allCases(client: ApiClient, path = '/cases'): Promise<CaseListItem[]> {
    const items: CaseListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: CasePage } = await client.get<CasePage>(`${path}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  it('routes a tip from every one of the county’s 365 villages to that village’s own township', async () => {
    const villages = await server.dataSource.manager.find(Division, { where: { level: 'village' }, order: { code: 'ASC' } });
    expect(villages).toHaveLength(365);
    for (const [i, village] of villages.entries()) {
      const response = await fileTip(supervisor, { divisionCode: village.code, child: { name: `路由测试${i}`, age: 10 } });
      expect({ village: village.code, status: response.status }).toEqual({ village: village.code, status: 201 });
    }
    const byName = new Map((await allCases(admin)).map((c) => [c.child.name, c]));
    for (const [i, village] of villages.entries()) {
      const routed = byName.get(`路由测试${i}`);
      expect({ village: village.code, township: routed?.townshipCode }).toEqual({ village: village.code, township: village.parentCode });
    }
  }, 120_000);

  it('sends a tip without a usable place, or from outside the served counties, to the county’s triage queue', async () => {
    // 罗山县 exists as divisions but this deployment does not serve it
    await server.dataSource.manager.insert(Division, [
      { code: '411521000000', name: '罗山县', level: 'county', parentCode: '411500000000' },
      { code: '411521100000', name: '周党镇', level: 'township', parentCode: '411521000000' },
      { code: '411521100001', name: '周党村民委员会', level: 'village', parentCode: '411521100000' },
    ]);
    await fileTip(supervisor, { divisionCode: '411521100001', child: { name: '外县孩子' } });
    await fileTip(supervisor, { divisionCode: null, child: { name: '不知住址' } });
    await fileTip(supervisor, { divisionCode: '411522000000', child: { name: '只知道县' } });
    const triage = await allCases(admin, '/cases/triage');
    expect(triage.map((c) => c.child.name).sort()).toEqual(['不知住址', '只知道县', '外县孩子'].sort());
    expect(triage.every((c) => c.townshipCode === null)).toBe(true);
    // a township never sees the triage queue
    expect((await allCases(shiliCadre)).map((c) => c.child.name)).not.toContain('外县孩子');
    const detail = await admin.get<CaseDetail>(`/cases/${triage.find((c) => c.child.name === '外县孩子')!.id}`);
    expect(detail.body.routings).toEqual([
      expect.objectContaining({ townshipCode: null, rule: 'outside_served', reason: '所报地点不在本系统服务的县内' }),
    ]);
  });

  it('keeps each township’s and village’s cases to itself, in lists and by id', async () => {
    const shili = (await fileTip(supervisor, { divisionCode: WUMING, child: { name: '十里的孩子' } })).body.tip;
    const zhaihe = (await fileTip(supervisor, { divisionCode: ZHANGWEIZI, child: { name: '寨河的孩子' } })).body.tip;
    const shiliCases = await allCases(shiliCadre);
    const zhaiheCases = await allCases(zhaiheCadre);
    expect(shiliCases.every((c) => c.townshipCode === SHILI)).toBe(true);
    expect(zhaiheCases.every((c) => c.townshipCode === ZHAIHE)).toBe(true);
    expect(shiliCases.map((c) => c.child.name)).toContain('十里的孩子');
    expect(zhaiheCases.map((c) => c.child.name)).not.toContain('十里的孩子');
    expect(shiliCases.map((c) => c.child.name)).not.toContain('寨河的孩子');
    const zhaiheCase = zhaiheCases.find((c) => c.child.name === '寨河的孩子')!;
    expectError(await shiliCadre.get(`/cases/${zhaiheCase.id}`), 404, 'NOT_FOUND');
    const zhaiheTip = await server.dataSource.manager.findOneByOrFail(Tip, { id: zhaihe.id });
    expectError(await shiliCadre.post(`/tips/${zhaiheTip.id}/reveal`, { reason: '需要核实线索细节' }), 404, 'NOT_FOUND');
    // a village cadre sees the cases of their own village only
    const village = await allCases(villageCadre);
    expect(village.length).toBeGreaterThan(0);
    expect(village.every((c) => c.place?.endsWith('吴明村民委员会'))).toBe(true);
    expect(shili.place).toBe('光山县 十里镇 吴明村民委员会');
  });

  it('stores a tip sent three times with the same idempotency key exactly once', async () => {
    const body = tipBody({ child: { name: '重复提交' } });
    const before = await tipCount();
    const responses = [];
    for (let i = 0; i < 3; i++) responses.push(await supervisor.post<{ tip: OwnTipView }>('/tips', body as never));
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200]);
    expect(new Set(responses.map((r) => r.body.tip.id)).size).toBe(1);
    expect(await tipCount()).toBe(before + 1);
    // concurrent retries too
    const concurrent = tipBody({ child: { name: '并发重复提交' } });
    const raced = await Promise.all([1, 2, 3].map(() => supervisor.post<{ tip: OwnTipView }>('/tips', concurrent as never)));
    expect(raced.every((r) => r.status === 200 || r.status === 201)).toBe(true);
    expect(new Set(raced.map((r) => r.body.tip.id)).size).toBe(1);
    expect(await tipCount()).toBe(before + 2);
    // the same key with different content is not a retry
    const conflict = expectError(
      await supervisor.post('/tips', { ...body, observation: '这是另一条完全不同的线索内容。' } as never),
      409,
      'TIP_KEY_REUSED',
    );
    expect(conflict.fields).toEqual({ idempotencyKey: '提交编号重复' });
  });

  it('stores many tips submitted at once without exhausting the connection pool', async () => {
    const before = await tipCount();
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        fileTip(supervisor, { divisionCode: i % 2 ? WUMING : ZHANGWEIZI, child: { name: `同时提交${i}` } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(201));
    expect(await tipCount()).toBe(before + 16);
  }, 30_000);

  it('attaches a tip about a child already followed to the open case and says so', async () => {
    const idNumber = `41152220150301123${idNumberCheckCharacter('41152220150301123')}`;
    const first = await fileTip(supervisor, { child: { name: '李明', sex: 'male', age: 11, idNumber } });
    expect(first.body.tip.alreadyFollowed).toBe(false);
    // the same ID number, even under another name spelling
    const byId = await fileTip(supervisor, { child: { name: '李 明', idNumber }, observation: '又看到这个孩子在镇上网吧。' });
    expect(byId.body.tip.alreadyFollowed).toBe(true);
    expect(byId.body.message).toBe('这个孩子已有工作人员在跟进，您的线索已补充到现有案件。感谢您的监督！');
    // the same name, estimated birth year and village, without an ID number
    const byName = await fileTip(supervisor, { child: { name: '李明', age: 12 } });
    expect(byName.body.tip.alreadyFollowed).toBe(true);
    // the same name in another village is another child
    const elsewhere = await fileTip(supervisor, { divisionCode: ZHANGWEIZI, child: { name: '李明', age: 11 } });
    expect(elsewhere.body.tip.alreadyFollowed).toBe(false);
    const cases = await server.dataSource.manager.find(Tip, {
      where: [{ id: first.body.tip.id }, { id: byId.body.tip.id }, { id: byName.body.tip.id }],
    });
    expect(new Set(cases.map((t) => t.caseId)).size).toBe(1);
    const record = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: cases[0]!.caseId });
    expect(record.tipCount).toBe(3);
  });

  it('never shows a township who sent a tip until revealed with a reason, which is audited', async () => {
    const contact = '13800138000';
    const tip = (await fileTip(supervisor, { child: { name: '保护测试' }, contact })).body.tip;
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id })).caseId;
    const supervisorRow = await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id });
    for (const response of [
      await shiliCadre.get(`/cases/${caseId}`),
      await shiliCadre.get('/cases?limit=100'),
      await admin.get(`/cases/${caseId}`),
    ]) {
      const text = JSON.stringify(response.body);
      expect(text).not.toContain('李建国');
      expect(text).not.toContain(contact);
      expect(text).not.toContain(supervisorRow.supervisorId);
    }
    const refused = expectError(await shiliCadre.post(`/tips/${tip.id}/reveal`, {}), 400, 'VALIDATION_FAILED');
    expect(refused.fields).toEqual({ reason: '请填写查看原因' });
    const revealed = await shiliCadre.post<{ name: string; contact: string }>(`/tips/${tip.id}/reveal`, {
      reason: '家长否认，需向提供人核实细节',
    });
    expect(revealed.body).toEqual({ name: '李建国', contact });
    const audit = await server.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'tip.reveal_tipster', targetId: tip.id });
    expect(audit).toMatchObject({ reason: '家长否认，需向提供人核实细节', actorRole: 'official' });
    const detail = await shiliCadre.get<CaseDetail>(`/cases/${caseId}`);
    expect(detail.body.events.map((e) => e.summary)).toContain('查看了线索提供人，原因：家长否认，需向提供人核实细节');
  });

  it('shows supervisors only their own tips, with what they wrote and coarse milestones', async () => {
    const other = await clientFor(
      server,
      await createUser(server.dataSource, {
        role: 'supervisor',
        unitDivisionCode: WUMING,
        countyCode: '411522000000',
        displayName: '另一位监督员',
      }),
    );
    const mine = (await fileTip(supervisor, { child: { name: '我的线索' } })).body.tip;
    expectError(await other.get(`/tips/${mine.id}`), 404, 'NOT_FOUND');
    const page = await other.get<{ items: OwnTipView[]; stats: { sent: number } }>('/tips/mine');
    expect(page.body).toMatchObject({ items: [], stats: { sent: 0 } });
    expectError(await supervisor.get('/cases'), 403, 'FORBIDDEN');
    const own = await supervisor.get<OwnTipView>(`/tips/${mine.id}`);
    expect(own.body.milestones.map((m) => m.kind)).toEqual(['received']);
    // the case's child record is not part of what the supervisor sees
    expect(Object.keys(own.body).sort()).toEqual(
      ['id', 'createdAt', 'child', 'place', 'locationNote', 'observation', 'contact', 'photoUrl', 'alreadyFollowed', 'milestones'].sort(),
    );
  });

  it('shows the supervisor the milestone when the township accepts, and names the cadre on the case', async () => {
    const tip = (await fileTip(supervisor, { child: { name: '受理测试' } })).body.tip;
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id })).caseId;
    const assignees = await shiliCadre.get<{ items: Array<{ id: string; displayName: string }> }>(`/cases/${caseId}/assignees`);
    expect(assignees.body.items.map((a) => a.displayName).sort()).toEqual(['刘德明', '王志强', '陈丽'].sort());
    const villageCadreId = assignees.body.items.find((a) => a.displayName === '刘德明')!.id;
    // a village cadre cannot accept for the township
    expectError(await villageCadre.post(`/cases/${caseId}/accept`, {}), 403, 'FORBIDDEN');
    const stale = (await shiliCadre.get<CaseDetail>(`/cases/${caseId}`)).body.version;
    const accepted = await shiliCadre.post<CaseDetail>(`/cases/${caseId}/accept`, { assigneeId: villageCadreId, version: stale });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'assigned', assigneeName: '刘德明' });
    expect(accepted.body.events.map((e) => e.summary)).toContain('受理，包抓干部：刘德明');
    // a second accept, or one from a stale version, is refused
    expectError(await shiliCadre.post(`/cases/${caseId}/accept`, { version: stale }), 409, 'CONFLICT');
    const own = await supervisor.get<OwnTipView>(`/tips/${tip.id}`);
    expect(own.body.milestones.map((m) => m.kind)).toEqual(['received', 'assigned']);
    const badAssignee = await fileTip(supervisor, { child: { name: '指定错误' } });
    const badCase = (await server.dataSource.manager.findOneByOrFail(Tip, { id: badAssignee.body.tip.id })).caseId;
    const zhaiheCadreId = (await zhaiheCadre.get<{ id: string }>('/me')).body.id;
    const refused = expectError(await shiliCadre.post(`/cases/${badCase}/accept`, { assigneeId: zhaiheCadreId }), 400, 'VALIDATION_FAILED');
    expect(refused.fields).toEqual({ assigneeId: '包抓干部应为本乡镇或其所辖村的负责人或干部' });
  });

  it('lets a township hand back a case that is not theirs, and the county route it on', async () => {
    const tip = (await fileTip(supervisor, { child: { name: '退回测试' } })).body.tip;
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id })).caseId;
    expectError(await shiliCadre.post(`/cases/${caseId}/return-to-triage`, { reason: '短' }), 400, 'VALIDATION_FAILED');
    const returned = await shiliCadre.post<CaseDetail>(`/cases/${caseId}/return-to-triage`, { reason: '孩子实际住在寨河镇' });
    expect(returned.body).toMatchObject({ townshipCode: null, status: 'reported' });
    expectError(await shiliCadre.get(`/cases/${caseId}`), 404, 'NOT_FOUND');
    expect((await allCases(admin, '/cases/triage')).map((c) => c.id)).toContain(caseId);
    const routed = await admin.post<CaseDetail>(`/cases/${caseId}/route`, { townshipCode: ZHAIHE, reason: '核实后属寨河镇' });
    expect(routed.body.townshipName).toBe('寨河镇');
    expect(routed.body.routings.map((r) => r.rule)).toEqual(['village', 'returned_by_township', 'manual']);
    expect(routed.body.routings[1]).toMatchObject({ byName: '陈丽', reason: '孩子实际住在寨河镇' });
    expect((await zhaiheCadre.get<CaseDetail>(`/cases/${caseId}`)).status).toBe(200);
    expectError(await admin.post(`/cases/${caseId}/route`, { townshipCode: '411521100000', reason: '别的县' }), 400, 'VALIDATION_FAILED');
  });

  it('merges two cases of one child and splits a wrongly attached tip back out', async () => {
    const a = (await fileTip(supervisor, { child: { name: '张小虎', age: 9 } })).body.tip;
    const b = (await fileTip(supervisor, { child: { name: '张晓虎', age: 9 } })).body.tip;
    const [caseA, caseB] = await Promise.all(
      [a, b].map(async (t) => (await server.dataSource.manager.findOneByOrFail(Tip, { id: t.id })).caseId),
    );
    expect(caseA).not.toBe(caseB);
    const merged = await shiliCadre.post<CaseDetail>(`/cases/${caseB}/merge`, { intoCaseId: caseA, reason: '同一孩子，名字写法不同' });
    expect(merged.body.tipCount).toBe(2);
    expect(merged.body.tips.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    expectError(await shiliCadre.get(`/cases/${caseB}`), 404, 'NOT_FOUND');
    const split = await shiliCadre.post<CaseDetail>(`/tips/${b.id}/split`, { reason: '核实后是两个孩子' });
    expect(split.body.tips.map((t) => t.id)).toEqual([b.id]);
    expect(split.body.id).not.toBe(caseA);
    expect((await shiliCadre.get<CaseDetail>(`/cases/${caseA}`)).body.tipCount).toBe(1);
    expectError(await shiliCadre.post(`/tips/${a.id}/split`, { reason: '只剩一条' }), 409, 'TIP_SINGLE_ON_CASE');
  });

  it('rejects bad input with the field named and stores nothing', async () => {
    const before = await tipCount();
    const cases = [
      { body: tipBody({ child: { idNumber: '110105194912310021' } }), field: 'child.idNumber', message: '身份证号校验位不正确，请核对' },
      { body: tipBody({ divisionCode: '411522101299' }), field: 'divisionCode', message: '所选地区不存在，请重新选择' },
      { body: tipBody({ divisionCode: '410000000000' }), field: 'divisionCode', message: '请选择到县、乡镇或村' },
      { body: tipBody({ observation: '看'.repeat(10_000) }), field: 'observation', message: '观察到的情况最多500个字' },
      { body: tipBody({ observation: '没去学校' }), field: 'observation', message: '观察到的情况至少10个字' },
      { body: { ...tipBody(), child: { sex: 'female' } }, field: 'child.name', message: '请填写孩子姓名' },
      { body: { ...tipBody(), idempotencyKey: undefined }, field: 'idempotencyKey', message: '缺少提交编号，请重新提交' },
      { body: tipBody({ divisionCode: "411522101203' OR '1'='1" }), field: 'divisionCode', message: '区划代码应为12位数字' },
      { body: tipBody({ photoId: '../../etc/passwd' }), field: 'photoId', message: '编号格式不正确' },
      { body: tipBody({ photoId: randomUUID() }), field: 'photoId', message: '照片不存在或已被使用，请重新上传' },
      { body: tipBody({ child: { lastSchoolId: randomUUID() } }), field: 'child.lastSchoolId', message: '所选学校不存在，请重新选择' },
      { body: tipBody({ child: { age: 40 } }), field: 'child.age', message: '义务教育阶段的孩子应在17岁以下' },
      { body: tipBody({ child: { grade: 12 } }), field: 'child.grade', message: '年级应为一年级到初三' },
    ];
    for (const { body, field, message } of cases) {
      const error = expectError(await supervisor.post('/tips', body as never), 400, 'VALIDATION_FAILED');
      expect({ field, message: error.fields[field] }).toEqual({ field, message });
    }
    expect(await tipCount()).toBe(before);
  });

  it('keeps script and SQL in free text as plain text', async () => {
    const observation = "<script>alert('x')</script>'; DROP TABLE tips; -- 孩子没来上学";
    const tip = (await fileTip(supervisor, { observation, child: { name: '<b>小明</b>' } })).body.tip;
    expect(tip.observation).toBe(observation);
    expect(tip.child.name).toBe('<b>小明</b>');
    expect(await tipCount()).toBeGreaterThan(0);
  });

  it('limits tips per supervisor per day, with a clear message, but never refuses a retry', async () => {
    await raiseTipLimit(server.dataSource, '411522000000', 0);
    try {
      const limited = expectError(await fileTip(supervisor, { child: { name: '超限' } }), 429, 'TIP_DAILY_LIMIT');
      expect(limited.message).toBe('每位监督员每天最多提交0条线索，请明天再提交；紧急情况请直接联系乡镇或县教育局');
      const stored = await server.dataSource.manager.findOneByOrFail(Tip, { childName: '重复提交' });
      const retry = await supervisor.post('/tips', {
        ...tipBody({ child: { name: '重复提交' } }),
        idempotencyKey: stored.idempotencyKey,
      } as never);
      expect(retry.status).toBe(200);
    } finally {
      await raiseTipLimit(server.dataSource);
    }
  });

  it("takes the county's policy from the session check, as stored at that request", async () => {
    // the tip asks no statement of its own for its county's settings ...
    const lookups = jest.spyOn(server.app.get(DivisionRecords), 'servedCounty');
    try {
      expect((await fileTip(supervisor, { child: { name: '政策随会话' } })).status).toBe(201);
      expect(lookups).not.toHaveBeenCalled();
      // ... and a change of the policy applies from the next request on
      await raiseTipLimit(server.dataSource, '411522000000', 0);
      expectError(await fileTip(supervisor, { child: { name: '政策已变' } }), 429, 'TIP_DAILY_LIMIT');
      await raiseTipLimit(server.dataSource);
      expect((await fileTip(supervisor, { child: { name: '政策已变' } })).status).toBe(201);
      expect(lookups).not.toHaveBeenCalled();
    } finally {
      lookups.mockRestore();
      await raiseTipLimit(server.dataSource);
    }
  });
});

describe('evidence photos', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let cadre: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    [supervisor, cadre] = await Promise.all(['supervisor', 'township-cadre'].map((a) => signInAs(server, a)));
  });
  afterAll(async () => server?.close());

  it('stores a photo re-encoded without its EXIF and GPS data, served only through a signed link', async () => {
    const original = await photoWithGps(3000, 2000);
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const uploaded = await supervisor.post<{ id: string; url: string; mime: string }>('/uploads?purpose=tip_evidence', imageForm(original));
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.mime).toBe('image/jpeg');
    const tip = (await fileTip(supervisor, { photoId: uploaded.body.id, child: { name: '有照片' } })).body.tip;
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id })).caseId;
    const officialView = await cadre.get<CaseDetail>(`/cases/${caseId}`);
    const url = officialView.body.tips[0]!.photoUrl!;
    const image = await fetch(`${server.baseUrl}${url}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const stored = Buffer.from(await image.arrayBuffer());
    const metadata = await sharp(stored).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(Math.max(metadata.width!, metadata.height!)).toBe(2048);
    expect(stored.includes(Buffer.from('李建国'))).toBe(false);
    // tampered and expired links
    expectError(
      await api(server).request(
        'GET',
        url.replace('/api', '').replace(/signature=[^&]+/, 'signature=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      ),
      403,
      'FORBIDDEN',
    );
    server.clock.advance(11 * 60_000);
    try {
      expectError(await api(server).request('GET', url.replace('/api', '')), 403, 'FORBIDDEN');
    } finally {
      server.clock.advance(-11 * 60_000);
    }
    // a photo is used once, by its owner only
    expectError(await fileTip(supervisor, { photoId: uploaded.body.id }), 400, 'VALIDATION_FAILED');
  });

  it('refuses files that are not images, whatever their name or type, and oversize uploads', async () => {
    const before = await server.dataSource.manager.count(Upload);
    expectError(
      await supervisor.post('/uploads', imageForm(Buffer.from('%PDF-1.4 not an image'), 'photo.jpg', 'image/jpeg')),
      415,
      'UNSUPPORTED_FILE',
    );
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } })
      .gif()
      .toBuffer();
    expectError(await supervisor.post('/uploads', imageForm(gif, 'photo.jpg')), 415, 'UNSUPPORTED_FILE');
    expectError(await supervisor.post('/uploads', imageForm(Buffer.alloc(9 * 1024 * 1024, 0xff), 'big.jpg')), 413, 'FILE_TOO_LARGE');
    // the file name plays no part in where the file is stored
    expect((await supervisor.post('/uploads', imageForm(await photoWithGps(), '../../../etc/passwd'))).status).toBe(201);
    expect(await server.dataSource.manager.count(Upload)).toBe(before + 1);
    expectError(await cadre.post('/uploads', imageForm(await photoWithGps())), 403, 'FORBIDDEN');
  });
});
