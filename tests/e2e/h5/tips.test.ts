import type { ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { input, launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit } from '../../support/tips';

/**
 * BRIEF §3 in a real browser on the H5 build: a supervisor reports a child of 吴明村 with a photo,
 * the tip reaches 十里镇 and no other township, the township accepts it, and the supervisor sees
 * the milestone. And a tip is never lost: without network it waits on the phone and goes once.
 */
// see 'queued, then the app closed' below; a retry is logged, so it is never silent
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('the H5 app: a supervisor’s tip reaches the right township', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let supervisorApi: ApiClient;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    supervisorApi = await signInAs(server, 'supervisor');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('filed with a photo, seen by 十里镇 only, accepted, and the supervisor sees 已受理', async () => {
    const supervisor = await openPhone(browser);
    const cadre = await openPhone(browser);
    const zhaihe = await openPhone(browser);
    try {
      // The supervisor files the tip from the home page's main button.
      await signInWithDemoAccount(supervisor.page, server.baseUrl, names.supervisor!);
      await openTipForm(supervisor.page);
      await fillTip(supervisor.page, { name: '王小明', observation: '开学两周了，白天常看到他在村口砖厂帮工，没有去学校上课。' });
      await supervisor.page.locator('.segment').filter({ visible: true }).getByText('男', { exact: true }).click();
      await input(supervisor.page, '岁').fill('13');
      await supervisor.page.locator('.segment').filter({ visible: true }).getByText('初一', { exact: true }).click();
      await pickPlace(supervisor.page, ['光山县', '十里镇', '吴明村']);
      await visibleText(supervisor.page, '吴明村').waitFor();
      await input(supervisor.page, '例如：村东头小卖部往北第二户').fill('村口砖厂旁边的两层楼');
      await attachPhoto(supervisor.page);
      await input(supervisor.page, '手机号或微信号').fill('13800138000');
      await screenshot(supervisor.page, 'tip-form');

      await submit(supervisor.page);
      await resultTitle(supervisor.page, '已提交').waitFor();
      await visibleText(supervisor.page, '线索已提交', false).waitFor();
      await screenshot(supervisor.page, 'tip-submitted');

      const mine = (await supervisorApi.get<ResponseOf<'tipsMine'>>('/tips/mine')).body;
      const tip = mine.items.find((item) => item.child.name === '王小明')!;
      expect(tip).toMatchObject({ place: '光山县 十里镇 吴明村民委员会', locationNote: '村口砖厂旁边的两层楼', contact: '13800138000' });
      expect(tip.child).toMatchObject({ sex: 'male', age: 13, grade: 7 });
      expect(tip.photoUrl).toEqual(expect.any(String));

      // 十里镇's cadre finds it in the inbox, without the tipster's name.
      const cadreApi = await signInAs(server, 'township-cadre');
      const inboxResponse = await cadreApi.get<ResponseOf<'casesList'>>('/cases');
      expect(inboxResponse).toMatchObject({ status: 200 });
      const inbox = inboxResponse.body;
      const item = inbox.items.find((candidate) => candidate.child.name === '王小明')!;
      expect(item).toMatchObject({ townshipName: '十里镇', status: 'reported' });
      const caseJson = JSON.stringify((await cadreApi.get(`/cases/${item.id}`)).body);
      expect(caseJson).not.toContain(names.supervisor!);
      expect(caseJson).not.toContain('13800138000');

      const pending = inbox.items.filter((candidate) => candidate.status === 'reported').length;
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await visibleText(cadre.page, `待受理 ${pending} 件`, false).waitFor();
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());
      const card = cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '王小明' });
      await card.getByText('待受理', { exact: true }).waitFor();
      await screenshot(cadre.page, 'official-inbox');
      await navigate(cadre.page, () => card.click());
      await visibleText(cadre.page, '光山县 十里镇 吴明村民委员会').first().waitFor();
      await visibleText(cadre.page, '提供人：已隐藏').waitFor();
      await cadre.page.locator('.case-tip img').filter({ visible: true }).waitFor();
      expect(await cadre.page.locator('.case-page').filter({ visible: true }).innerText()).not.toContain(names.supervisor!);

      // Revealing the tipster needs a reason; then name and contact show.
      await visibleText(cadre.page, '查看提供人').click();
      await cadre.page.locator('textarea').filter({ visible: true }).fill('住址需要向提供人进一步核实');
      await cadre.page.locator('.reason-dialog .btn-primary').filter({ visible: true }).click();
      await visibleText(cadre.page, `提供人：${names.supervisor}，联系方式 13800138000`).waitFor();

      // Accepting names the cadre herself by default.
      await visibleText(cadre.page, '受理并指定包抓干部').click();
      await cadre.page
        .locator('.action-panel .chip-active')
        .filter({ visible: true })
        .getByText(names['township-cadre']!, { exact: false })
        .waitFor();
      await cadre.page.locator('.action-panel .btn-primary').filter({ visible: true }).click();
      await cadre.page.locator('.case-head .tag').filter({ visible: true }).getByText('已受理', { exact: true }).waitFor();
      await visibleText(cadre.page, names['township-cadre']!).first().waitFor();
      await screenshot(cadre.page, 'official-case-accepted');

      // 寨河镇's cadre sees nothing of it, in the app or from the API.
      await signInWithDemoAccount(zhaihe.page, server.baseUrl, names['zhaihe-cadre']!);
      await navigate(zhaihe.page, () => visibleText(zhaihe.page, '收件箱').click());
      await visibleText(zhaihe.page, '收件箱里还没有案件').waitFor();
      expect(await zhaihe.page.locator('.inbox-page').filter({ visible: true }).innerText()).not.toContain('王小明');
      await screenshot(zhaihe.page, 'official-other-township-inbox');
      const zhaiheApi = await signInAs(server, 'zhaihe-cadre');
      expect((await zhaiheApi.get<ResponseOf<'casesList'>>('/cases')).body.items).toEqual([]);
      expect((await zhaiheApi.get(`/cases/${item.id}`)).status).toBe(404);

      // The supervisor is told in 消息, and the message opens the tip, which shows the milestone.
      await navigate(supervisor.page, () => supervisor.page.goBack());
      await supervisor.page.locator('.weui-badge').filter({ visible: true }).getByText('1', { exact: true }).waitFor();
      await navigate(supervisor.page, () => supervisor.page.locator('.weui-tabbar__item').filter({ hasText: '消息' }).click());
      const message = supervisor.page.locator('.message-unread').filter({ visible: true }).filter({ hasText: '您提交的线索有新进展' });
      await message.getByText('进展：已受理', { exact: true }).waitFor();
      await screenshot(supervisor.page, 'supervisor-messages');
      await navigate(supervisor.page, () => message.click());
      expect(supervisor.page.url()).toContain(`#/packages/supervisor/pages/tip/index?id=${tip.id}`);
      await supervisor.page.locator('.timeline-item-done').filter({ visible: true }).filter({ hasText: '已受理' }).waitFor();
      await supervisor.page.locator('.timeline-item-done').filter({ visible: true }).filter({ hasText: '已收到' }).waitFor();
      expect(await supervisor.page.locator('.timeline-item-done').filter({ visible: true }).count()).toBe(2);
      await screenshot(supervisor.page, 'supervisor-tip-accepted');
      // Back in 消息, it reads as read.
      await navigate(supervisor.page, () => supervisor.page.goBack());
      await visibleText(supervisor.page, '没有未读消息').waitFor();
      expect(await supervisor.page.locator('.message-unread').filter({ visible: true }).count()).toBe(0);

      expect([...supervisor.errors, ...cadre.errors, ...zhaihe.errors]).toEqual([]);
    } finally {
      await Promise.all([supervisor.context.close(), cadre.context.close(), zhaihe.context.close()]);
    }
  }, 150_000);

  test('filed without network: 待发送 on the phone, 已提交 when the network returns, stored once', async () => {
    const { context, page, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names.supervisor!);
      await openTipForm(page);
      // Nothing filled in: the shared schema's messages beside the fields, nothing sent.
      await submit(page);
      await visibleText(page, '请填写孩子姓名').waitFor();
      await visibleText(page, '请填写观察到的情况').waitFor();
      await screenshot(page, 'tip-form-errors');
      await fillTip(page, { name: '赵小军', observation: '这个孩子上周起没去学校，家里说要送他去外地打工。' });
      await pickPlace(page, ['光山县', '十里镇', '不清楚']);
      await visibleText(page, '村不清楚').waitFor();

      const posts = recordTipPosts(page);
      await goOffline(page);
      await submit(page);
      await resultTitle(page, '待发送').waitFor();
      await visibleText(page, '线索已保存在这部手机上', false).waitFor();
      await screenshot(page, 'tip-offline-waiting');
      expect(await countTips('赵小军')).toBe(0);

      await goOnline(page);
      await resultTitle(page, '已提交').waitFor({ timeout: 15_000 });
      await screenshot(page, 'tip-offline-sent');
      expect(await countTips('赵小军')).toBe(1);
      expect(new Set(posts.map((post) => post.idempotencyKey)).size).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('an answer lost on the way back: retried under the same key, stored once', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names.supervisor!);
      await openTipForm(page);
      await fillTip(page, { name: '钱小兰', observation: '孩子这学期一直在镇上的饭店帮忙，没有去上学。' });
      await pickPlace(page, ['不清楚']);

      // The server stores the first attempt, but the phone never hears back.
      const posts = recordTipPosts(page);
      await page.route('**/api/tips', async (route) => {
        await route.fetch();
        await route.abort('connectionreset');
      });
      await submit(page);
      await resultTitle(page, '待发送').waitFor();
      expect(await countTips('钱小兰')).toBe(1);

      await page.unroute('**/api/tips');
      await visibleText(page, '立即重试').click();
      await resultTitle(page, '已提交').waitFor();
      await visibleText(page, '这条线索已提交过，无需重复提交。').waitFor();
      expect(await countTips('钱小兰')).toBe(1);
      expect(posts).toHaveLength(2);
      expect(posts[1]!.idempotencyKey).toBe(posts[0]!.idempotencyKey);

      // A tip without a place waits in the county's triage queue.
      const admin = await signInAs(server, 'county-admin');
      const triage = (await admin.get<ResponseOf<'casesTriage'>>('/cases/triage')).body.items;
      expect(triage.map((item) => item.child.name)).toContain('钱小兰');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  // Once (of many runs), on a loaded CI machine, the tip below reached the server although the
  // browser was offline: a leak in the harness's offline emulation, not in the app. The test is
  // retried once, with a child of its own, so that a second leak would still fail it.
  let queuedAttempts = 0;
  test('queued, then the app closed: sent on the next launch and shown in 我的线索', async () => {
    const child = ['孙小梅', '孙小竹'][queuedAttempts++] ?? '孙小菊';
    const first = await openPhone(browser);
    let state: Awaited<ReturnType<typeof first.context.storageState>>;
    try {
      await signInWithDemoAccount(first.page, server.baseUrl, names.supervisor!);
      await openTipForm(first.page);
      await fillTip(first.page, { name: child, observation: '开学后一直没见她去学校，听说在家照顾生病的奶奶。' });
      await goOffline(first.page);
      await submit(first.page);
      await resultTitle(first.page, '待发送').waitFor();
      expect(first.errors).toEqual([]);
      // Closing the app: what stays is the phone's storage.
      state = await first.context.storageState();
    } finally {
      await first.context.close();
    }
    expect(await countTips(child)).toBe(0);

    const { context, page, errors } = await openPhone(browser, { storageState: state });
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.locator('.user-card').filter({ visible: true }).waitFor();
      await navigate(page, () => visibleText(page, '我的线索', false).first().click());
      const row = page.locator('.tip-row').filter({ visible: true }).filter({ hasText: child });
      await row.getByText('已提交', { exact: true }).waitFor({ timeout: 15_000 });
      expect(await page.locator('.queued-tip').filter({ visible: true }).count()).toBe(0);
      await screenshot(page, 'my-tips');
      expect(await countTips(child)).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('a township merges a duplicate and hands a case that is not theirs back; the county routes it', async () => {
    await raiseTipLimit(server.dataSource);
    await fileTip(supervisorApi, { child: { name: '周小红', age: 10 } });
    await fileTip(supervisorApi, { child: { name: '周晓红', age: 10 } });
    await fileTip(supervisorApi, { child: { name: '吴小刚', age: 9 } });
    const cadre = await openPhone(browser);
    const admin = await openPhone(browser);
    try {
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());

      // 周晓红 is 周小红 misspelt: merged into her case, found by name.
      await openCase(cadre.page, '周晓红');
      await visibleText(cadre.page, '与其他案件合并').click();
      await cadre.page.locator('.action-panel input').filter({ visible: true }).fill('周');
      const target = cadre.page.locator('.action-panel .case-card').filter({ visible: true }).filter({ hasText: '周小红' });
      await target.click();
      await cadre.page.locator('.reason-dialog textarea').filter({ visible: true }).fill('同一个孩子，名字写错了');
      await navigate(cadre.page, () => cadre.page.locator('.reason-dialog .btn-primary').filter({ visible: true }).click());
      await caseHeading(cadre.page, '周小红').waitFor();
      await visibleText(cadre.page, '线索（2）').waitFor();
      await screenshot(cadre.page, 'official-case-merged');
      await navigate(cadre.page, () => cadre.page.goBack());

      // 吴小刚 lives elsewhere: back to the county, with a reason.
      await openCase(cadre.page, '吴小刚');
      await visibleText(cadre.page, '非本乡镇，退回').click();
      await cadre.page.locator('.reason-dialog textarea').filter({ visible: true }).fill('短');
      await cadre.page.locator('.reason-dialog .btn-primary').filter({ visible: true }).click();
      await visibleText(cadre.page, '退回原因至少5个字').waitFor();
      await cadre.page.locator('.reason-dialog textarea').filter({ visible: true }).fill('孩子一家已搬到寨河镇居住');
      await navigate(cadre.page, () => cadre.page.locator('.reason-dialog .btn-primary').filter({ visible: true }).click());
      await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '周小红' }).waitFor();
      expect(await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '吴小刚' }).count()).toBe(0);

      // The county routes it from 待分派线索 to 寨河镇.
      await signInWithDemoAccount(admin.page, server.baseUrl, names['county-admin']!);
      await navigate(admin.page, () => visibleText(admin.page, '待分派线索').click());
      const item = admin.page.locator('.triage-item').filter({ visible: true }).filter({ hasText: '吴小刚' });
      await item.locator('.btn-primary').getByText('分派', { exact: true }).click();
      await item.locator('.chip').getByText('寨河镇', { exact: true }).click();
      await item.locator('textarea').fill('乡镇退回：已搬到寨河镇');
      await screenshot(admin.page, 'county-triage');
      await item.locator('.route-form .btn-primary').click();
      await item.waitFor({ state: 'detached' });

      const cadreApi = await signInAs(server, 'township-cadre');
      const zhaiheApi = await signInAs(server, 'zhaihe-cadre');
      const shili = (await cadreApi.get<ResponseOf<'casesList'>>('/cases?limit=100')).body.items;
      const zhaihe = (await zhaiheApi.get<ResponseOf<'casesList'>>('/cases?limit=100')).body.items;
      expect(shili.filter((c) => c.child.name.startsWith('周')).map((c) => [c.child.name, c.tipCount])).toEqual([['周小红', 2]]);
      expect(shili.map((c) => c.child.name)).not.toContain('吴小刚');
      const routed = zhaihe.find((c) => c.child.name === '吴小刚')!;
      const detail = (await zhaiheApi.get<ResponseOf<'casesGet'>>(`/cases/${routed.id}`)).body;
      expect(detail.routings.map((r) => [r.rule, r.townshipName, r.reason])).toEqual([
        ['village', '十里镇', null],
        ['returned_by_township', null, '孩子一家已搬到寨河镇居住'],
        ['manual', '寨河镇', '乡镇退回：已搬到寨河镇'],
      ]);
      expect([...cadre.errors, ...admin.errors]).toEqual([]);
    } finally {
      await Promise.all([cadre.context.close(), admin.context.close()]);
    }
  }, 120_000);

  test('a refused tip brings the first field to correct into view and focus, with the summary at the top', async () => {
    const { context, page, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names.supervisor!);
      await openTipForm(page);
      // everything but the name, then 提交线索 at the bottom of the form: the name's row is far above
      await page.locator('textarea').filter({ visible: true }).fill('这个孩子开学以来一直没有去学校，白天在村口小卖部帮忙。');
      await pickPlace(page, ['光山县', '十里镇', '吴明村']);
      await submit(page);
      await visibleText(page, '请填写孩子姓名').waitFor();
      // focused, and scrolled into the viewport
      await page.waitForFunction(() => !!document.activeElement?.closest('.input-child-name'), undefined, { timeout: 5_000 });
      await page.waitForFunction(
        () => {
          const row = Array.from(document.querySelectorAll('#tip-field-child-name')).find((e) => (e as HTMLElement).offsetParent !== null);
          const box = row?.getBoundingClientRect();
          return !!box && box.top >= 0 && box.bottom <= window.innerHeight;
        },
        undefined,
        { timeout: 5_000 },
      );
      // the summary sits above the form's first card
      const summary = page.locator('#tip-form-errors .form-error').filter({ visible: true }).first();
      await summary.waitFor();
      expect(await summary.innerText()).toBe('请按提示修改后再提交');
      const summaryBox = (await summary.boundingBox())!;
      const firstCard = (await page.locator('.card').filter({ visible: true }).filter({ hasText: '孩子的情况' }).boundingBox())!;
      expect(summaryBox.y).toBeLessThan(firstCard.y);
      await screenshot(page, 'tip-form-first-error-focused');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  test('a tip about a child already followed says so once, and its progress is its case’s', async () => {
    const { context, page, errors } = await openPhone(browser);
    try {
      const first = await fileTip(supervisorApi, { child: { name: '周跟进', sex: 'male', age: 12 } });
      const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: first.body.tip.id })).caseId;
      expect((await (await signInAs(server, 'township-cadre')).post(`/cases/${caseId}/accept`, {})).status).toBe(200);

      await signInWithDemoAccount(page, server.baseUrl, names.supervisor!);
      await openTipForm(page);
      await fillTip(page, { name: '周跟进', observation: '又看到这个孩子白天在镇上网吧，没有去学校上课。' });
      await page.locator('.segment').filter({ visible: true }).getByText('男', { exact: true }).click();
      await input(page, '岁').fill('12');
      await pickPlace(page, ['光山县', '十里镇', '吴明村']);
      await submit(page);
      await resultTitle(page, '已提交').waitFor();
      const result = page.locator('.result-card').filter({ visible: true });
      await result.getByText('这个孩子已有工作人员在跟进', { exact: false }).waitFor();
      expect((await result.innerText()).match(/工作人员在跟进/g)).toHaveLength(1);
      await screenshot(page, 'tip-already-followed');

      // 我的线索: the later tip was received after the case was accepted, and shows 已受理 like the first
      await navigate(page, () => result.getByText('我的线索', { exact: true }).click());
      const rows = page.locator('.tip-row').filter({ visible: true }).filter({ hasText: '周跟进' });
      await rows.nth(1).waitFor();
      expect(await rows.count()).toBe(2);
      expect(await rows.locator('.progress').allInnerTexts()).toEqual(['已受理', '已受理']);
      await visibleText(page, '确认辍学儿童').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  async function countTips(childName: string): Promise<number> {
    const mine = (await supervisorApi.get<ResponseOf<'tipsMine'>>('/tips/mine?limit=100')).body;
    return mine.items.filter((item) => item.child.name === childName).length;
  }
});

async function openTipForm(page: Page): Promise<void> {
  await navigate(page, () => page.locator('.btn-primary').filter({ visible: true }).getByText('提交线索', { exact: true }).click());
  await visibleText(page, '孩子的情况').waitFor();
}

async function fillTip(page: Page, { name, observation }: { name: string; observation: string }): Promise<void> {
  await input(page, '请输入孩子的姓名').fill(name);
  await page.locator('textarea').filter({ visible: true }).fill(observation);
}

/** Taps through the cascade: each name is a county, township or village, or 不清楚. */
async function pickPlace(page: Page, steps: string[]): Promise<void> {
  for (const step of steps) await page.locator('.place-picker .chip').filter({ visible: true }).getByText(step, { exact: true }).click();
}

async function attachPhoto(page: Page): Promise<void> {
  const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .png()
    .toBuffer();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visibleText(page, '添加照片').click()]);
  await chooser.setFiles({ name: 'evidence.png', mimeType: 'image/png', buffer: photo });
  await visibleText(page, '移除照片').waitFor();
  await page.locator('.photo-thumb img').filter({ visible: true }).waitFor();
}

async function submit(page: Page): Promise<void> {
  await page.locator('.tip-form-page .btn-primary').filter({ visible: true }).getByText('提交线索', { exact: true }).click();
}

async function openCase(page: Page, childName: string): Promise<void> {
  await navigate(page, () => page.locator('.case-card').filter({ visible: true }).filter({ hasText: childName }).click());
  await caseHeading(page, childName).waitFor();
}

function caseHeading(page: Page, childName: string) {
  return page.locator('.case-child-name').filter({ visible: true }).getByText(childName, { exact: true });
}

/**
 * The phone loses its network. Chromium's offline emulation fails a request in the page but may
 * already have sent it (seen here: a tip stored while the page heard ERR_INTERNET_DISCONNECTED),
 * so requests are also stopped before they leave; setOffline is what the app itself observes.
 */
async function goOffline(page: Page): Promise<void> {
  await page.context().route('**/api/**', (route) => route.abort('internetdisconnected'));
  await page.context().setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
}

async function goOnline(page: Page): Promise<void> {
  await page.context().unroute('**/api/**');
  await page.context().setOffline(false);
  await page.waitForFunction(() => navigator.onLine);
}

function resultTitle(page: Page, text: string) {
  return page.locator('.result-title').filter({ visible: true }).getByText(text, { exact: true });
}

/** The bodies of every POST /api/tips the page sends. */
function recordTipPosts(page: Page): Array<{ idempotencyKey: string }> {
  const posts: Array<{ idempotencyKey: string }> = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/tips') posts.push(request.postDataJSON());
  });
  return posts;
}
