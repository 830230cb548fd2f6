import { pageLink, type ApiErrorBody, type ChildSubsidiesResponse, type ComplaintView, type PolicyView } from '@baoxue/shared';
import ExcelJS from 'exceljs';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import type { Child } from '../../server/src/modules/children/child.entity';
import { InboxMessage, OutboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { SubsidyEligibilityRow, SubsidyPayment } from '../../server/src/modules/subsidies/subsidy.entities';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_JUNIOR, DEMO_SCHOOL, demoUser, download, fileForm, schoolByName, workbook } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

const ELIGIBILITY_HEADER = ['学籍号', '身份证号', '姓名＊', '学年＊', '困难类别＊', '是否寄宿'];
const PAYMENT_HEADER = ['学籍号', '姓名', '学期', '金额（元）', '发放状态', '失败原因', '发放渠道', '卡号', '到账日期', '发放批次号'];

describe('subsidies 资助', () => {
  let server: TestServer;
  let county: ApiClient;
  let parent: ApiClient;
  let staff: ApiClient;
  let boarder: Child;
  let dayPupil: Child;

  const record = async (client: ApiClient, child: Child) =>
    (await client.get<ChildSubsidiesResponse>(`/children/${child.id}/subsidies`)).body;

  beforeAll(async () => {
    server = await startTestServer();
    [county, parent, staff] = await Promise.all(['county-admin', 'parent', 'school-staff'].map((a) => signInAs(server, a)));
    const primary = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    const junior = (await schoolByName(server.dataSource, DEMO_JUNIOR)).id;
    boarder = await createPupil(server.dataSource, {
      name: '陈寄宿',
      schoolId: primary,
      grade: 4,
      boarding: true,
      bindingCode: 'AIDCODE2',
    });
    dayPupil = await createPupil(server.dataSource, {
      name: '刘走读',
      schoolId: junior,
      grade: 8,
      boarding: false,
      birthDate: '2011-05-06',
    });
    await parent.post('/children/bind', { bindingCode: 'AIDCODE2', childName: '陈寄宿', relation: 'mother' });
  });
  afterAll(async () => server?.close());

  it('keeps the national standards as data, and lets the county add and end its own top-up', async () => {
    const policies = await county.get<{ items: PolicyView[] }>('/subsidies/policies');
    const national = policies.body.items.filter((p) => p.countyCode === null);
    expect(national.map((p) => p.amountLabel).sort()).toEqual(
      [
        '1000元/学年',
        '1250元/学年',
        '500元/学年',
        '625元/学年',
        '1250元/学年',
        '1500元/学年',
        '625元/学年',
        '750元/学年',
        '4元/在校日',
        '5元/在校日',
      ].sort(),
    );
    expectError(await county.post(`/subsidies/policies/${national[0]!.id}/end`, { effectiveTo: '2025-01-01' }), 404, 'NOT_FOUND');
    expectError(await staff.post('/subsidies/policies', {}), 403, 'FORBIDDEN');
  });

  it('confirms eligibility one by one and from the county’s list: bad rows by row and column, nothing half-written, re-import changes nothing', async () => {
    const set = await county.request('PUT', '/subsidies/eligibility', {
      childId: boarder.id,
      schoolYear: 2023,
      category: 'registered_poor',
      boarding: true,
    });
    expect(set.body).toMatchObject({ childName: '陈寄宿', schoolYear: 2023, stage: 'primary', boarding: true, source: 'manual' });

    const template = await download(server, county.token, '/subsidies/eligibility/template');
    expect(template.type).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.body as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(1).getCell(3).value).toBe('姓名＊');

    const bad = await workbook(ELIGIBILITY_HEADER, [
      [boarder.studentNumber!, '', '陈寄宿', '2024—2025', '脱贫户', '是'],
      ['G411522209901010011', '', '查无此人', '2024', '低保', '否'],
      [dayPupil.studentNumber!, '', '刘走读', '2023—2025', '困难', '也许'],
      [dayPupil.studentNumber!, '', '刘小读', '2023', '低保', '否'],
    ]);
    const refused = await county.post('/subsidies/eligibility/import', fileForm(bad));
    const body = expectError(refused, 422, 'FILE_INVALID');
    expect(body.rows).toEqual([
      { line: 3, column: '学籍号', message: '本县学籍中没有这个学籍号' },
      { line: 4, column: '学年', message: '学年格式应为“2024—2025”或“2024”' },
      { line: 4, column: '困难类别', message: expect.stringContaining('困难类别应为脱贫户、监测户') },
      { line: 4, column: '是否寄宿', message: '是否寄宿应填“是”或“否”' },
      { line: 5, column: '姓名', message: '姓名与学籍不一致（学籍中为刘走读）' },
    ]);
    expect(await server.dataSource.manager.countBy(SubsidyEligibilityRow, {})).toBe(1);

    const good = await workbook(ELIGIBILITY_HEADER, [
      [boarder.studentNumber!, '', '陈寄宿', '2024—2025', '脱贫户', '是'],
      ['', dayPupil.idNumber!, '刘走读', '2023', '低保', ''],
    ]);
    expect((await county.post('/subsidies/eligibility/import', fileForm(good))).body).toEqual({
      rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      notified: 0,
    });
    expect((await county.post('/subsidies/eligibility/import', fileForm(good))).body).toEqual({
      rows: 2,
      created: 0,
      updated: 0,
      unchanged: 2,
      notified: 0,
    });
    const listed = await county.get<{ items: Array<{ childName: string; category: string }> }>('/subsidies/eligibility?schoolYear=2023');
    expect(listed.body.items.map((e) => e.childName).sort()).toEqual(['刘走读', '陈寄宿'].sort());
  });

  it('computes each semester’s entitlement from the rates in force, and shows the meals in kind', async () => {
    const seen = await record(parent, boarder);
    const bySemester = Object.fromEntries(seen.entitlements.map((e) => [e.semester, e.totalFen]));
    expect(bySemester).toEqual({ '2023-autumn': 50_000, '2024-spring': 62_500, '2024-autumn': 62_500, '2025-spring': 62_500 });
    expect(seen.entitlements.map((e) => e.label)[0]).toBe('2025年春季学期');
    expect(seen.benefitsInKind).toEqual([expect.objectContaining({ label: '营养改善计划', dailyFen: 500, since: '2021-09-01' })]);
    const day = await record(county, dayPupil);
    expect(Object.fromEntries(day.entitlements.map((e) => [e.semester, e.totalFen]))).toEqual({
      '2023-autumn': 31_250,
      '2024-spring': 37_500,
    });

    const topUp = await county.post<PolicyView>('/subsidies/policies', {
      kind: 'top_up',
      label: '光山县寄宿生营养补助',
      boarding: true,
      amountYuan: 200,
      effectiveFrom: '2024-09-01',
    });
    expect(topUp.body).toMatchObject({ countyCode: '411522000000', amountFen: 20_000, amountLabel: '200元/学年' });
    const withTopUp = Object.fromEntries((await record(parent, boarder)).entitlements.map((e) => [e.semester, e.totalFen]));
    expect(withTopUp).toMatchObject({ '2024-spring': 62_500, '2024-autumn': 72_500, '2025-spring': 72_500 });
    const ended = await county.post<PolicyView>(`/subsidies/policies/${topUp.body.id}/end`, { effectiveTo: '2025-01-31' });
    expect(ended.body.effectiveTo).toBe('2025-01-31');
    expect(Object.fromEntries((await record(parent, boarder)).entitlements.map((e) => [e.semester, e.totalFen]))['2025-spring']).toBe(
      62_500,
    );
  });

  it('imports the county’s payment sheet: row errors in Chinese, the same sheet twice changes nothing, paid tells the parent', async () => {
    const template = await download(server, county.token, '/subsidies/payments/template');
    expect(template.status).toBe(200);
    const withErrors = await workbook(PAYMENT_HEADER, [
      [
        boarder.studentNumber!,
        '陈寄宿',
        '2023年秋季学期',
        '500',
        '已到账',
        '',
        '一卡通/社保卡',
        '6217000012345678',
        '2023-11-20',
        'GS2023Q',
      ],
      [dayPupil.studentNumber!, '刘走读', '2024年春季学期', '375', '发放失败', '', '银行卡', '', '', 'GS2024C'],
      [boarder.studentNumber!, '陈寄宿', '2024年夏季', '-5', '已发', '', '支付宝', '', '2024-02-30', ''],
    ]);
    const body = expectError(await county.post('/subsidies/payments/import', fileForm(withErrors)), 422, 'FILE_INVALID') as ApiErrorBody;
    expect(body.rows!.map((r) => `${r.line}:${r.column}`)).toEqual([
      '3:失败原因',
      '4:学期',
      '4:金额（元）',
      '4:发放状态',
      '4:发放渠道',
      '4:到账日期',
    ]);
    expect(body.rows!.every((r) => /[\u4e00-\u9fa5]/.test(r.message))).toBe(true);
    expect(await server.dataSource.manager.countBy(SubsidyPayment, {})).toBe(0);

    const sheet = await workbook(PAYMENT_HEADER, [
      [
        boarder.studentNumber!,
        '陈寄宿',
        '2023年秋季学期',
        '500',
        '已到账',
        '',
        '一卡通/社保卡',
        '6217000012345678',
        '2023-11-20',
        'GS2023Q',
      ],
      [boarder.studentNumber!, '陈寄宿', '2024年春季学期', '625', '已发放', '', '一卡通', '5678', '', 'GS2024C'],
      [dayPupil.studentNumber!, '刘走读', '2024年春季学期', '375', '发放失败', '卡号错误', '银行卡', '', '', 'GS2024C'],
    ]);
    expect((await county.post('/subsidies/payments/import', fileForm(sheet))).body).toEqual({
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      notified: 1,
    });
    expect((await county.post('/subsidies/payments/import', fileForm(sheet))).body).toEqual({
      rows: 3,
      created: 0,
      updated: 0,
      unchanged: 3,
      notified: 0,
    });
    const stored = await server.dataSource.manager.find(SubsidyPayment, { order: { semester: 'ASC', amountFen: 'DESC' } });
    expect(stored.map((p) => p.cardTail)).toEqual(['5678', '5678', null]);
    expect(JSON.stringify(stored)).not.toContain('6217000012345678');

    // parents are offered the 资助到账 subscribe message; officials are not
    const offered = async (client: ApiClient) =>
      (await client.get<{ items: Array<{ key: string }> }>('/me/subscriptions')).body.items.map((i) => i.key);
    expect(await offered(parent)).toContain('subsidy_paid');
    expect(await offered(staff)).not.toContain('subsidy_paid');
    const mother = await demoUser(server.dataSource, 'parent');
    const outbox = await server.dataSource.manager.findBy(OutboxMessage, { userId: mother.id, template: 'subsidy_paid' });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.payload.data).toMatchObject({ thing1: '2023年秋季学期生活补助', thing2: '陈寄宿', amount3: '500元' });
    const paid = await server.dataSource.manager.findBy(InboxMessage, { userId: mother.id, title: '资助资金已到账' });
    expect(paid.map((m) => m.link)).toEqual([pageLink('parentSubsidies', { childId: boarder.id })]);

    // a later sheet moves a payment on; it cannot move one back
    const later = await workbook(PAYMENT_HEADER, [
      [boarder.studentNumber!, '陈寄宿', '2024年春季学期', '625', '已到账', '', '一卡通', '5678', '2024-04-02', 'GS2024C'],
      [boarder.studentNumber!, '陈寄宿', '2023年秋季学期', '500', '已发放', '', '一卡通/社保卡', '5678', '', 'GS2023Q'],
    ]);
    const back = expectError(await county.post('/subsidies/payments/import', fileForm(later)), 422, 'FILE_INVALID');
    expect(back.rows).toEqual([{ line: 3, column: '发放状态', message: '该笔资助已是“已到账”，不能改为“已发放”' }]);
    const forward = await workbook(PAYMENT_HEADER, [
      [boarder.studentNumber!, '陈寄宿', '2024年春季学期', '625', '已到账', '', '一卡通', '5678', '2024-04-02', 'GS2024C'],
    ]);
    expect((await county.post('/subsidies/payments/import', fileForm(forward))).body).toMatchObject({ updated: 1, notified: 1 });

    const seen = await record(parent, boarder);
    expect(seen.payments.map((p) => [p.semester, p.status, p.cardTail])).toEqual([
      ['2024-spring', 'paid', '5678'],
      ['2023-autumn', 'paid', '5678'],
    ]);
    expect(seen.entitlements.find((e) => e.semester === '2024-spring')?.paidFen).toBe(62_500);
    // the batch number is the county office's own code: the guardian never reads it, the county does
    expect(seen.payments.map((p) => p.reference)).toEqual([null, null]);
    expect(JSON.stringify(seen)).not.toMatch(/GS2023Q|GS2024C/);
    expect((await record(county, boarder)).payments.map((p) => p.reference)).toEqual(['GS2024C', 'GS2023Q']);
    const failed = await county.get<{ items: Array<{ childName: string; failureReason: string }> }>('/subsidies/payments?status=failed');
    expect(failed.body.items).toEqual([expect.objectContaining({ childName: '刘走读', failureReason: '卡号错误' })]);
  });

  it('shows a child’s record only to its guardians and officials in scope, and audits every official’s view', async () => {
    const before = await server.dataSource.manager.countBy(AuditEntry, { action: 'child.subsidies.read', targetId: boarder.id });
    expect((await staff.get(`/children/${boarder.id}/subsidies`)).status).toBe(200);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'child.subsidies.read', targetId: boarder.id })).toBe(before + 1);
    expectError(await staff.get(`/children/${dayPupil.id}/subsidies`), 404, 'NOT_FOUND'); // another school's pupil
    expectError(await parent.get(`/children/${dayPupil.id}/subsidies`), 404, 'NOT_FOUND');
    expectError(await (await signInAs(server, 'zhaihe-cadre')).get(`/children/${boarder.id}/subsidies`), 404, 'NOT_FOUND');
    await seedOtherCounty(server.dataSource);
    const otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    expectError(await otherAdmin.get(`/children/${boarder.id}/subsidies`), 404, 'NOT_FOUND');
    expect((await otherAdmin.get<{ items: unknown[] }>('/subsidies/payments')).body.items).toEqual([]);
  });

  it('routes a parent’s complaint to the county’s student-aid office, which answers it in the app like a case', async () => {
    // the county answers complaints within 2 days (its own setting; the default is 7)
    expect((await county.request('PUT', '/county/settings', { complaintAnswerDays: 2 })).status).toBe(200);
    const payment = (await record(parent, boarder)).payments[0]!;
    const raised = await parent.post<ComplaintView>('/subsidies/complaints', {
      childId: boarder.id,
      paymentId: payment.id,
      text: '显示已到账，但卡里没有收到这笔钱。',
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ status: 'open', subject: '2024年春季学期 生活补助 625元（已到账）', actions: [], overdue: false });
    expectError(
      await parent.post('/subsidies/complaints', { childId: dayPupil.id, semester: '2024-spring', text: '不是我的孩子的投诉' }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await parent.post('/subsidies/complaints', { childId: boarder.id, semester: '2021-autumn', text: '那个学期没有补助' }),
      400,
      'VALIDATION_FAILED',
    );
    const admin = await demoUser(server.dataSource, 'county-admin');
    expect(await server.dataSource.manager.countBy(InboxMessage, { userId: admin.id, title: '新的学生资助投诉' })).toBe(1);

    server.clock.advance(3 * 24 * 3_600_000);
    try {
      const office = await signInAs(server, 'county-admin');
      const listed = await office.get<{ items: ComplaintView[]; overdueCount: number }>('/subsidies/complaints?overdue=true');
      expect(listed.body.overdueCount).toBe(1);
      expect(listed.body.items.map((c) => c.id)).toEqual([raised.body.id]);
      const item = listed.body.items[0]!;
      expect(item.actions).toEqual(['accept', 'answer']);
      const accepted = await office.post<ComplaintView>(`/subsidies/complaints/${item.id}/transitions`, {
        transition: 'accept',
        version: 1,
      });
      expect(accepted.body.status).toBe('processing');
      expectError(
        await office.post(`/subsidies/complaints/${item.id}/transitions`, { transition: 'answer', version: 1, text: '过期的版本号答复' }),
        409,
        'CONFLICT',
      );
      expectError(
        await office.post(`/subsidies/complaints/${item.id}/transitions`, { transition: 'answer', version: 2 }),
        400,
        'VALIDATION_FAILED',
      );
      const answered = await office.post<ComplaintView>(`/subsidies/complaints/${item.id}/transitions`, {
        transition: 'answer',
        version: 2,
        text: '经核实，银行入账延迟，已于4月5日到账，请查询一卡通余额。',
      });
      expect(answered.body).toMatchObject({ status: 'answered', overdue: false });
      // each message opens the complaint itself: the office's in the county pages, the parent's in theirs
      const links = async (title: string) => (await server.dataSource.manager.findBy(InboxMessage, { title })).map((m) => m.link);
      expect(await links('新的学生资助投诉')).toContain(pageLink('countyComplaint', { id: item.id }));
      expect(await links('资助投诉已答复')).toEqual([pageLink('parentComplaint', { id: item.id })]);
      const mine = await (await signInAs(server, 'parent')).get<{ items: ComplaintView[] }>('/subsidies/complaints/mine');
      const seen = mine.body.items[0]!;
      expect(seen).toMatchObject({
        status: 'answered',
        answer: '经核实，银行入账延迟，已于4月5日到账，请查询一卡通余额。',
        actions: ['reopen', 'close'],
      });
      expect(seen.events.map((e) => [e.kind, e.by])).toEqual([
        ['submitted', '家长'],
        ['accept', '县学生资助管理中心'],
        ['answer', '县学生资助管理中心'],
      ]);
      const parentNow = await signInAs(server, 'parent');
      expectError(
        await parentNow.post(`/subsidies/complaints/${item.id}/transitions`, {
          transition: 'answer',
          version: 3,
          text: '家长不能答复投诉',
        }),
        409,
        'COMPLAINT_STEP_OUT_OF_ORDER',
      );
      const closed = await parentNow.post<ComplaintView>(`/subsidies/complaints/${item.id}/transitions`, {
        transition: 'close',
        version: 3,
      });
      expect(closed.body).toMatchObject({ status: 'closed', actions: [] });
      expect((await office.get<ComplaintView>(`/subsidies/complaints/${item.id}`)).body.events.map((e) => e.by)).toContain('周国华');
      const otherAdmin = await clientFor(
        server,
        await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
      );
      expectError(await otherAdmin.get(`/subsidies/complaints/${item.id}`), 404, 'NOT_FOUND');
    } finally {
      server.clock.advance(-3 * 24 * 3_600_000);
    }
  });

  it('refuses a guardian who is not bound, whatever the route', async () => {
    const { client } = await signInWithWechat(server, 'openid-nosy');
    const complaint = (await county.get<{ items: ComplaintView[] }>('/subsidies/complaints')).body.items[0]!;
    expectError(await client.get(`/subsidies/complaints/${complaint.id}`), 404, 'NOT_FOUND');
    expect((await client.get<{ items: unknown[] }>('/subsidies/complaints/mine')).body.items).toEqual([]);
  });
});
