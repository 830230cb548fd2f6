import { schoolYearOf, type BoundChildView, type EnrolmentNoticeView, type ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { signInAs, signInWithWechat, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, DEMO_SCHOOL, schoolByName, workbook } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';
import { imageForm, photoWithGps } from '../../support/tips';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WUMING = '411522101203'; // 吴明村, 十里镇
const PAYMENT_HEADER = ['学籍号', '姓名', '学期', '金额（元）', '发放状态', '发放渠道', '卡号后四位', '到账日期', '发放批次号'];

/**
 * Issue 5 from the officials' side, in the H5 build against a real server: a school sends a notice
 * to one class and sees who has read it; the county's student-aid office imports a payment sheet,
 * is told which row and column are wrong, fixes it and imports it again without duplicates; the
 * township approves a deferral (延缓入学) a parent applied for.
 */
describe('the H5 app: school notices, subsidy payments and deferrals for officials', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let schoolId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A parent in the app bound to a new pupil, signed in through WeChat. */
  async function boundParent(
    openid: string,
    pupil: Parameters<typeof createPupil>[1],
  ): Promise<{ client: ApiClient; child: BoundChildView }> {
    const child = await createPupil(server.dataSource, pupil);
    const { client } = await signInWithWechat(server, openid);
    const bound = await client.post<BoundChildView>('/children/bind', {
      bindingCode: child.bindingCode,
      childName: child.name,
      relation: 'father',
    });
    expect(bound.status).toBe(200);
    return { client, child: bound.body };
  }

  test('a school sends a notice to one class and sees how many guardians have read it', async () => {
    const { client: parent } = await boundParent('openid-notice-parent', { name: '孙小宝', schoolId, grade: 4, className: '3班' });
    await createPupil(server.dataSource, { name: '钱多多', schoolId, grade: 4, className: '1班' }); // another class: not reached
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['school-staff']!);
      await navigate(page, () => visibleText(page, '学校通知').click());
      await visibleText(page, '还没有发过通知').waitFor();
      await navigate(page, () => visibleText(page, '发送通知').click());
      await segment(page, '班级').click();
      await segment(page, '四年级').click();
      await page.locator('input[placeholder="班级，如：2班"]').filter({ visible: true }).fill('3班');
      await page.locator('input[placeholder="通知标题"]').filter({ visible: true }).fill('家长会通知');
      await page
        .locator('textarea[placeholder="通知内容"]')
        .filter({ visible: true })
        .fill('本周五下午三点在四年级3班教室召开家长会，请准时参加。');
      await visibleText(page, '发送').click();
      await visibleText(page, '通知已发送').waitFor();
      await visibleText(page, '发送给四年级3班的家长：学生 1 名，其中 1 名的家长在小程序中，共 1 位家长收到。').waitFor();
      await navigate(page, () => visibleText(page, '返回通知列表').click());
      const card = noticeCard(page, '家长会通知');
      await card.getByText('四年级3班', { exact: true }).waitFor();
      await card.getByText('已读 0 / 1 位家长', { exact: true }).waitFor();

      // The parent reads it in the app; the school sees the count move.
      const received = (await parent.get<ResponseOf<'schoolNoticesMine'>>('/school-notices/mine')).body.items;
      expect(received.map((n) => n.title)).toEqual(['家长会通知']);
      expect((await parent.post(`/school-notices/${received[0]!.id}/read`)).status).toBe(200);
      await navigate(page, () => page.goBack());
      await navigate(page, () => visibleText(page, '学校通知').click());
      await noticeCard(page, '家长会通知').getByText('已读 1 / 1 位家长', { exact: true }).waitFor();
      await screenshot(page, 'school-notice-read-count');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('the county imports a payment sheet: a bad row is named by row and column, the fixed sheet imports once', async () => {
    const a = await createPupil(server.dataSource, { name: '赵一鸣', schoolId, grade: 5, className: '1班' });
    const b = await createPupil(server.dataSource, { name: '吴小雪', sex: 'female', schoolId, grade: 2, className: '1班' });
    const row = (child: typeof a, amount: string) => [
      child.studentNumber!,
      child.name,
      '2024年春季学期',
      amount,
      '已到账',
      '一卡通/社保卡',
      '6217',
      '2024-03-20',
      'GS2024C01',
    ];
    const bad = await workbook(PAYMENT_HEADER, [row(a, '六二五'), row(b, '六百')]);
    const good = await workbook(PAYMENT_HEADER, [row(a, '625'), row(b, '625')]);
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '学生资助').click());
      await navigate(page, () => visibleText(page, '资助发放').click());

      await chooseFile(page, 'payments.xlsx', bad);
      const result = page.locator('.import-result').filter({ visible: true });
      await result.getByText('未导入', { exact: true }).waitFor();
      await result.getByText('第 3 行（金额（元））：金额应为大于0的数字，最多两位小数', { exact: true }).waitFor();
      // one problem per line, not one paragraph
      const rowErrors = result.locator('.row-error');
      expect(await rowErrors.allInnerTexts()).toEqual([
        '第 2 行（金额（元））：金额应为大于0的数字，最多两位小数',
        '第 3 行（金额（元））：金额应为大于0的数字，最多两位小数',
      ]);
      // both boxes read in one frame: the result panel may still be sliding in, and two separate reads
      // would see it at two places
      const [first, second] = await rowErrors.evaluateAll((lines) =>
        lines.map((line) => {
          const box = line.getBoundingClientRect();
          return { x: box.x, y: box.y, height: box.height };
        }),
      );
      expect(second!.y).toBeGreaterThanOrEqual(first!.y + first!.height);
      expect(second!.x).toBe(first!.x);
      await screenshot(page, 'subsidy-payments-row-error');
      const admin = await signInAs(server, 'county-admin');
      expect((await admin.get<ResponseOf<'paymentsList'>>('/subsidies/payments?semester=2024-spring')).body.items).toEqual([]);

      await chooseFile(page, 'payments.xlsx', good);
      await result.getByText('导入完成', { exact: true }).waitFor();
      await result.getByText('共 2 行：新增 2，更新 0，未变 0。', { exact: true }).waitFor();
      const listed = page.locator('.payment-item').filter({ visible: true });
      await listed.filter({ hasText: '赵一鸣 · 625元' }).getByText('已到账', { exact: true }).waitFor();
      await listed.filter({ hasText: '吴小雪 · 625元' }).getByText('2024年春季学期 · 一卡通/社保卡（尾号6217）', { exact: true }).waitFor();

      // The same sheet again changes nothing, and says so.
      await chooseFile(page, 'payments.xlsx', good);
      await result.getByText('共 2 行：新增 0，更新 0，未变 2。', { exact: true }).waitFor();
      await screenshot(page, 'subsidy-payments-reimported');
      expect((await admin.get<ResponseOf<'paymentsList'>>('/subsidies/payments?semester=2024-spring')).body.items).toHaveLength(2);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('the township approves a deferral a parent applied for, and the parent’s notice shows it', async () => {
    const entryYear = schoolYearOf(new Date().toISOString().slice(0, 10)) + 1;
    const { client: parent } = await boundParent('openid-deferral-parent', {
      name: '郑小安',
      schoolId: null,
      grade: null,
      villageCode: WUMING,
      birthDate: `${entryYear - 6}-03-10`,
    });
    const admin = await signInAs(server, 'county-admin');
    const issued = await admin.post<ResponseOf<'enrolmentIssue'>>('/enrolment/batches', {
      kind: 'new_entrants',
      schoolYear: entryYear,
      schoolId,
      catchment: [WUMING],
      reportOn: `${entryYear}-08-31`,
      reportTime: '上午8:00',
      reportPlace: '学校大门口',
      bring: '户口簿',
      contact: '王老师 0376-8880000',
      acknowledgeBy: `${entryYear}-07-31`,
    });
    expect(issued.status).toBe(201);
    const notice = (await parent.get<{ items: EnrolmentNoticeView[] }>('/enrolment/notices/mine')).body.items[0]!;
    const photo = await parent.post<{ id: string }>('/uploads', imageForm(await photoWithGps(320, 240)));
    expect(photo.status).toBe(201);
    const applied = await parent.post(`/enrolment/notices/${notice.id}/deferral`, {
      reason: '孩子患先天性心脏病，需手术后休养一年',
      photoId: photo.body.id,
    });
    expect(applied.status).toBe(200);

    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['township-leader']!);
      await navigate(page, () => visibleText(page, '延缓入学审批').click());
      const card = page.locator('.deferral-item').filter({ visible: true }).filter({ hasText: '郑小安' });
      await card.getByText('孩子患先天性心脏病，需手术后休养一年', { exact: true }).waitFor();
      await card.getByText('待审批', { exact: true }).waitFor();
      await card.locator('img').waitFor(); // the document photo
      await screenshot(page, 'deferral-pending');
      await card.getByText('批准', { exact: true }).click();
      await page.locator('.taro-modal__foot div').filter({ hasText: '批准' }).filter({ visible: true }).click();
      await visibleText(page, '没有待审批的申请').waitFor();
      await segment(page, '已批准').click();
      const decided = page.locator('.deferral-item').filter({ visible: true }).filter({ hasText: '郑小安' });
      await decided.getByText('已批准', { exact: true }).waitFor();
      await decided.getByText(/^十里镇人民政府于 .+ 已批准$/).waitFor();
      await screenshot(page, 'deferral-approved');

      const after = await parent.get<EnrolmentNoticeView>(`/enrolment/notices/${notice.id}`);
      expect(after.body).toMatchObject({ state: 'deferred', deferral: { status: 'approved', decidedBy: '十里镇人民政府' } });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});

function segment(page: Page, label: string) {
  return page.locator('.segment').filter({ visible: true }).getByText(label, { exact: true });
}

function noticeCard(page: Page, title: string) {
  return page.locator('.school-notice').filter({ visible: true }).filter({ hasText: title });
}

/** The browser's file dialog, answered with a sheet made in the test. */
async function chooseFile(page: Page, name: string, content: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visibleText(page, '选择文件导入').click()]);
  await chooser.setFiles({ name, mimeType: XLSX_TYPE, buffer: content });
}
