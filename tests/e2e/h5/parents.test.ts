import { formatYuan, semesterKey, semesterLabel, semesterOfDate, semesterSchoolYear, type ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { input, launchChromium, navigate, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, fileForm, workbook } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';
import { WUMING } from '../../support/tips';

const HOUR = 3_600_000;
const PAYMENT_HEADER = ['学籍号', '姓名', '学期', '金额（元）', '发放状态', '失败原因', '发放渠道', '卡号', '到账日期', '发放批次号'];
const CHILD = '周小雨';
const NEIGHBOUR = '孙小北';
const BINDING_CODE = 'ZXY2027A';
const COMPLAINT_TEXT = '通知说这笔补助已到账，但一卡通上没有查到这笔钱。';
const ANSWER = '经核实，该笔补助已发放到尾号2468的一卡通，请持卡到信用社网点打印明细查询。';

/** Today in China (the phones' and the server's zone). */
function chinaToday(): string {
  return new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
}

/**
 * BRIEF §6 in a real browser on the H5 build. The county issues enrolment notices for 吴明村's
 * children turning 6, confirms a family's eligibility and imports a payments sheet with a paid
 * payment. The mother binds her child in the app with the binding code and the child's name (a wrong
 * name is refused with the server's message), reads the enrolment notice and acknowledges it; the
 * school sees it acknowledged on its follow-up list and reminds the others. The mother sees the
 * entitlement and the paid payment and complains about it; the county's student-aid office accepts
 * and answers in the app; the mother reads the answer and closes the complaint.
 */
describe('the H5 app: a parent’s enrolment notice, subsidies and complaint', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let county: ApiClient;
  let parentApi: ApiClient;
  let staffApi: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    [county, parentApi, staffApi] = await Promise.all(['county-admin', 'parent', 'school-staff'].map((a) => signInAs(server, a)));
    schoolId = (await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'school-staff' })).unitSchoolId!;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('bind, acknowledge, follow up, see the paid subsidy, complain and get the answer', async () => {
    // ── Set-up through the API, as the county would have it ────────────────────────────────────
    const today = chinaToday();
    const schoolYear = Number(today.slice(0, 4)) + 1; // the autumn the children start school
    const born = `${schoolYear - 7}-10-12`; // 6 by 31 August of that year
    // Registered with the school ahead of the autumn: no grade yet, so the notice goes to them.
    const child = await createPupil(server.dataSource, {
      name: CHILD,
      sex: 'female',
      birthDate: born,
      schoolId,
      grade: null,
      villageCode: WUMING,
      bindingCode: BINDING_CODE,
    });
    await createPupil(server.dataSource, { name: NEIGHBOUR, birthDate: born, grade: null, villageCode: WUMING });
    const issued = await county.post<ResponseOf<'enrolmentIssue'>>('/enrolment/batches', {
      kind: 'new_entrants',
      schoolYear,
      schoolId,
      catchment: [WUMING],
      reportOn: `${schoolYear}-08-31`,
      reportTime: '上午8:00至11:30',
      reportPlace: '学校一楼大厅',
      bring: '户口簿、儿童预防接种证',
      contact: '赵老师 13800001111',
      acknowledgeBy: `${schoolYear}-08-20`,
    });
    expect(issued.status).toBe(201);
    const batchId = issued.body.batch!.id;

    const semester = semesterOfDate(today);
    const label = semesterLabel(semester);
    const eligibility = await county.request('PUT', '/subsidies/eligibility', {
      childId: child.id,
      schoolYear: semesterSchoolYear(semester),
      category: 'registered_poor',
      boarding: false,
      stage: 'primary',
    });
    expect(eligibility.status).toBe(200);
    const sheet = await workbook(PAYMENT_HEADER, [
      [child.studentNumber!, CHILD, label, '312.5', '已到账', '', '一卡通/社保卡', '6217000011112468', today, 'GS-PARENTS-1'],
    ]);
    expect((await county.post('/subsidies/payments/import', fileForm(sheet))).body).toMatchObject({ created: 1 });
    const amount = formatYuan(31_250);

    const parent = await openPhone(browser);
    const staff = await openPhone(browser);
    const office = await openPhone(browser);
    try {
      // ── The mother binds her child ────────────────────────────────────────────────────────────
      const boundBefore = (await parentApi.get<ResponseOf<'childrenMine'>>('/children/mine')).body.items.length;
      await signInWithDemoAccount(parent.page, server.baseUrl, names.parent!);
      if (boundBefore === 0) await navigate(parent.page, () => visibleText(parent.page, '绑定孩子').click());
      else {
        await navigate(parent.page, () => visibleText(parent.page, '我的孩子').click());
        await navigate(parent.page, () => visibleText(parent.page, '绑定孩子').click());
      }
      await input(parent.page, '通知书上的绑定码').fill(BINDING_CODE.toLowerCase());
      await input(parent.page, '请输入孩子的姓名').fill('周小语');
      await parent.page.locator('.segment').filter({ visible: true }).getByText('母亲', { exact: true }).click();
      await visibleText(parent.page, '绑定').click();
      await visibleText(parent.page, '绑定码或孩子姓名不正确，请核对通知书后重新输入（还可尝试4次）').waitFor();
      await screenshot(parent.page, 'parent-bind-refused');
      expect((await parentApi.get<ResponseOf<'childrenMine'>>('/children/mine')).body.items).toHaveLength(boundBefore);

      await input(parent.page, '请输入孩子的姓名').fill(CHILD);
      await navigate(parent.page, () => visibleText(parent.page, '绑定').click());
      const mine = (await parentApi.get<ResponseOf<'childrenMine'>>('/children/mine')).body.items;
      expect(mine.find((c) => c.id === child.id)).toMatchObject({ name: CHILD, relation: '母亲' });
      if (boundBefore > 0) {
        // back on 我的孩子, which lists her now
        await parent.page.locator('.child-card').filter({ visible: true }).filter({ hasText: CHILD }).getByText('母亲').waitFor();
        await navigate(parent.page, () => parent.page.goBack());
      }

      // ── She reads the enrolment notice and acknowledges it ────────────────────────────────────
      const notices = (await parentApi.get<ResponseOf<'enrolmentMine'>>('/enrolment/notices/mine')).body.items;
      const pending = notices.filter((n) => n.actions.includes('acknowledge')).length;
      await navigate(parent.page, () => visibleText(parent.page, `入学通知书（${pending} 份待回执）`).click());
      const notice = parent.page
        .locator('.enrolment-notice')
        .filter({ visible: true })
        .filter({ hasText: `${CHILD}的入学通知书` });
      if (notices.length > 1) await notice.click();
      await notice.getByText('学校一楼大厅', { exact: true }).waitFor();
      await notice.getByText('户口簿、儿童预防接种证', { exact: true }).waitFor();
      await notice.getByText('赵老师 13800001111', { exact: true }).waitFor();
      await notice.getByText('光山县十里镇中心小学', { exact: true }).first().waitFor();
      const text = await notice.locator('.law-text').innerText();
      expect(text).toContain(`您的孩子${CHILD}`);
      expect(text).toContain('适龄儿童、少年因身体状况需要延缓入学或者休学的');
      expect(text).toContain('第五十八条');
      await notice.getByText('已查看，未回执', { exact: true }).waitFor();
      await screenshot(parent.page, 'parent-enrolment-notice');
      await notice.getByText('确认收到（回执）', { exact: true }).click();
      await notice.getByText('已回执', { exact: true }).waitFor();
      await notice.getByText(/确认收到本通知书（已回执）。$/).waitFor();
      expect(await notice.getByText('确认收到（回执）', { exact: true }).count()).toBe(0);
      await screenshot(parent.page, 'parent-enrolment-acknowledged');
      const acknowledged = (await parentApi.get<ResponseOf<'enrolmentMine'>>('/enrolment/notices/mine')).body.items.find(
        (n) => n.childId === child.id,
      )!;
      expect(acknowledged).toMatchObject({ state: 'acknowledged', schoolName: '光山县十里镇中心小学' });

      // ── The school sees it on its follow-up list and reminds the others ───────────────────────
      const followUp = (await staffApi.get<ResponseOf<'enrolmentFollowUp'>>(`/enrolment/follow-up?batchId=${batchId}`)).body;
      const group = followUp.groups.find((g) => g.villageCode === WUMING)!;
      expect(group.counts.acknowledged).toBeGreaterThanOrEqual(1);
      expect(followUp.items.map((i) => i.childName)).toEqual(expect.arrayContaining([NEIGHBOUR]));
      expect(followUp.items.map((i) => i.childName)).not.toContain(CHILD);
      await signInWithDemoAccount(staff.page, server.baseUrl, names['school-staff']!);
      await navigate(staff.page, () => visibleText(staff.page, '入学通知书回执').click());
      await staff.page
        .locator('.chip-active')
        .filter({ visible: true })
        .getByText(`${schoolYear}年 光山县十里镇中心小学（新生）`)
        .waitFor();
      const village = staff.page.locator('.follow-up-group').filter({ visible: true }).filter({ hasText: '吴明村' });
      await village
        .getByText(`共 ${group.counts.total} 份 · 已回执 ${group.counts.acknowledged} · 未回执 ${group.counts.pending}`, { exact: false })
        .waitFor();
      const list = staff.page.locator('.pending-child').filter({ visible: true });
      await list.filter({ hasText: NEIGHBOUR }).getByText('家长未使用小程序，请村里上门送达纸质通知书').waitFor();
      expect(await list.filter({ hasText: CHILD }).count()).toBe(0);
      await screenshot(staff.page, 'school-enrolment-follow-up');
      const withoutApp = followUp.items.filter((i) => i.guardiansInApp === 0).length;
      const reminded = followUp.items.filter((i) => i.guardiansInApp > 0);
      await visibleText(staff.page, '提醒全部未回执的家长').click();
      await visibleText(
        staff.page,
        `已提醒 ${reminded.length} 名孩子的 ${reminded.reduce((sum, i) => sum + i.guardiansInApp, 0)} 位家长；${withoutApp} 名孩子的家长未使用小程序，请上门送达`,
      ).waitFor();

      // ── The mother sees the paid subsidy and complains about it ───────────────────────────────
      await navigate(parent.page, () => parent.page.goBack());
      await navigate(parent.page, () => visibleText(parent.page, '资助').click());
      if (mine.length > 1) await parent.page.locator('.segment').filter({ visible: true }).getByText(CHILD, { exact: true }).click();
      await parent.page.locator('.card-title').filter({ visible: true }).getByText(CHILD, { exact: true }).waitFor();
      // The entitlement is computed from the rates in force: the national standard and any county top-up.
      const record = (await parentApi.get<ResponseOf<'childrenSubsidies'>>(`/children/${child.id}/subsidies`)).body;
      const due = record.entitlements.find((e) => e.semester === semesterKey(semester))!;
      expect(due.lines.map((line) => line.amountFen)).toContain(31_250);
      const entitlement = parent.page.locator('.entitlement').filter({ visible: true }).filter({ hasText: label });
      await entitlement.locator('.money').getByText(formatYuan(due.totalFen), { exact: true }).waitFor();
      await entitlement.getByText(`已到账 ${amount}`, { exact: true }).waitFor();
      const payment = parent.page
        .locator('.payment')
        .filter({ visible: true })
        .filter({ hasText: `${label} ${amount}` });
      await payment.getByText('已到账', { exact: true }).waitFor();
      await payment.getByText('一卡通/社保卡（尾号2468）', { exact: true }).waitFor();
      await payment.getByText(`${today} 到账`, { exact: true }).waitFor();
      // the county's batch number is its office's own code: not for parents
      expect(await payment.innerText()).not.toMatch(/批次|GS-PARENTS-1/);
      await parent.page.locator('.benefit-card').filter({ visible: true }).getByText('营养改善计划', { exact: true }).waitFor();
      await screenshot(parent.page, 'parent-subsidies');

      await navigate(parent.page, () => payment.getByText('对这笔发放有疑问？反映问题').click());
      await visibleText(parent.page, `${CHILD}的资助`).waitFor();
      expect(await parent.page.locator('.complaint-form').filter({ visible: true }).innerText()).not.toMatch(/批次|GS-PARENTS-1/);
      await parent.page.locator('.complaint-form textarea').filter({ visible: true }).fill(COMPLAINT_TEXT);
      await navigate(parent.page, () => visibleText(parent.page, '提交').click());
      const subject = `${label} 生活补助 ${amount}（已到账）`;
      await visibleText(parent.page, subject).waitFor();
      await parent.page.locator('.complaint-head .tag').filter({ visible: true }).getByText('待处理', { exact: true }).waitFor();
      await parent.page.locator('.complaint-text').filter({ visible: true }).getByText(COMPLAINT_TEXT, { exact: true }).waitFor();
      const complaintId = new URL(parent.page.url().replace('#', '')).searchParams.get('id')!;
      const filed = (await county.get<ResponseOf<'complaintsGet'>>(`/subsidies/complaints/${complaintId}`)).body;
      expect(filed).toMatchObject({ childId: child.id, status: 'open', semester: semesterKey(semester) });
      await screenshot(parent.page, 'parent-complaint-open');
      // back on 资助, the complaint just filed is listed without reopening the page
      await navigate(parent.page, () => parent.page.goBack());
      const listed = parent.page.locator('.complaint-item').filter({ visible: true }).filter({ hasText: subject });
      await listed.getByText('待处理', { exact: true }).waitFor();
      await navigate(parent.page, () => listed.click());
      await parent.page.locator('.complaint-text').filter({ visible: true }).getByText(COMPLAINT_TEXT, { exact: true }).waitFor();

      // ── The county's student-aid office accepts and answers it ────────────────────────────────
      await signInWithDemoAccount(office.page, server.baseUrl, names['county-admin']!);
      await office.page.goto(`${server.baseUrl}/#/packages/county/pages/complaint/index?id=${complaintId}`);
      await settled(office.page);
      await visibleText(office.page, subject).waitFor();
      await office.page.locator('.complaint-text').filter({ visible: true }).getByText(COMPLAINT_TEXT, { exact: true }).waitFor();
      const context = office.page.locator('.complaint-context').filter({ visible: true });
      await context.getByText('一卡通/社保卡（尾号2468）', { exact: true }).waitFor();
      await context.getByText('GS-PARENTS-1', { exact: true }).waitFor();
      await context.getByText(/脱贫户/).waitFor();
      await visibleText(office.page, '受理').click();
      await office.page.locator('.complaint-head .tag').filter({ visible: true }).getByText('处理中', { exact: true }).waitFor();
      await office.page.locator('.complaint-actions textarea').filter({ visible: true }).fill(ANSWER);
      await visibleText(office.page, '答复').click();
      await office.page.locator('.complaint-head .tag').filter({ visible: true }).getByText('已答复', { exact: true }).waitFor();
      await office.page.locator('.complaint-answer').filter({ visible: true }).getByText(ANSWER, { exact: true }).waitFor();
      await screenshot(office.page, 'county-complaint-answered');

      // ── The mother reads the answer and closes the complaint ──────────────────────────────────
      await parent.page.reload();
      await settled(parent.page);
      await parent.page.locator('.complaint-answer').filter({ visible: true }).getByText(ANSWER, { exact: true }).waitFor();
      await parent.page.locator('.complaint-head .tag').filter({ visible: true }).getByText('已答复', { exact: true }).waitFor();
      await visibleText(parent.page, '已答复 · 县学生资助管理中心').waitFor();
      expect(await parent.page.locator('.complaint-page').filter({ visible: true }).innerText()).not.toContain(names['county-admin']!);
      await screenshot(parent.page, 'parent-complaint-answered');
      await visibleText(parent.page, '问题已解决').click();
      await confirmModal(parent.page, '办结');
      await parent.page.locator('.complaint-head .tag').filter({ visible: true }).getByText('已办结', { exact: true }).waitFor();
      expect((await parentApi.get<ResponseOf<'complaintsGet'>>(`/subsidies/complaints/${complaintId}`)).body.status).toBe('closed');

      // ── Her empty notice lists speak to a parent who has bound a child ────────────────────────
      expect((await parentApi.get<ResponseOf<'noticesMine'>>('/notices/mine')).body.items).toEqual([]);
      expect((await parentApi.get<ResponseOf<'schoolNoticesMine'>>('/school-notices/mine')).body.items).toEqual([]);
      await parent.page.goto(`${server.baseUrl}/#/packages/parent/pages/notices/index`);
      await settled(parent.page);
      await visibleText(parent.page, '没有收到正式通知。乡镇发出的《限期返校通知书》等正式通知会显示在这里。').waitFor();
      await parent.page.goto(`${server.baseUrl}/#/packages/parent/pages/school-notices/index`);
      await settled(parent.page);
      await visibleText(parent.page, '孩子的学校还没有发过通知。学校发给家长的通知会显示在这里。').waitFor();
      expect(await parent.page.locator('.school-notices-page').filter({ visible: true }).innerText()).not.toContain('绑定孩子后');

      expect([...parent.errors, ...staff.errors, ...office.errors]).toEqual([]);
    } finally {
      await Promise.all([parent, staff, office].map((phone) => phone.context.close()));
    }
  }, 180_000);
});

async function confirmModal(page: Page, confirmText: string): Promise<void> {
  await page.locator('.taro-modal__foot div').filter({ hasText: confirmText }).filter({ visible: true }).click();
}
