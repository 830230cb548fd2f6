import type { ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { signInAs } from '../../support/api';
import { input, launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

describe('the H5 app: a county admin issues an invitation code and a parent redeems it', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the parent becomes a supervisor of the village the code names', async () => {
    const admin = await openPhone(browser);
    const parent = await openPhone(browser);
    try {
      // The county admin issues a supervisor code for a village, picked through the cascade.
      await signInWithDemoAccount(admin.page, server.baseUrl, names['county-admin']!);
      await navigate(admin.page, () => visibleText(admin.page, '邀请码管理').click());
      await navigate(admin.page, () => visibleText(admin.page, '发放邀请码').click());
      await visibleText(admin.page, '十里镇').click();
      await visibleText(admin.page, '吴明村民委员会').click();
      await visibleText(admin.page, '光山县 十里镇 吴明村民委员会').waitFor();
      await input(admin.page, '被邀请人姓名或说明').fill('交给张秀英');
      await visibleText(admin.page, '生成邀请码').click();
      const codeText = admin.page.locator('.invitation-code').filter({ visible: true });
      await codeText.waitFor();
      const code = (await codeText.innerText()).trim();
      expect(code).toMatch(/^[A-Z0-9-]{6,16}$/);
      await screenshot(admin.page, 'invitation-created');

      // The parent first mistypes the code and is told so in Chinese, then enters it.
      await signInWithDemoAccount(parent.page, server.baseUrl, names.parent!);
      await navigate(parent.page, () => visibleText(parent.page, '输入邀请码').click());
      const codeInput = input(parent.page, '请输入邀请码');
      await codeInput.fill('WRONG0000');
      await visibleText(parent.page, '确认使用邀请码').click();
      await visibleText(parent.page, '邀请码无效，请核对后重新输入').waitFor();
      await codeInput.fill(code.toLowerCase());
      await navigate(parent.page, () => visibleText(parent.page, '确认使用邀请码').click());
      expect(parent.page.url()).toMatch(/#\/pages\/home\/index/);
      const card = parent.page.locator('.user-card').filter({ visible: true });
      await card.locator('.user-role').getByText('社会监督员', { exact: true }).waitFor();
      expect(await card.locator('.user-unit').innerText()).toBe('光山县 十里镇 吴明村民委员会');
      await screenshot(parent.page, 'invitation-redeemed');

      // Back on the list, the admin sees the code used by the parent.
      await navigate(admin.page, () => visibleText(admin.page, '返回列表').click());
      await visibleText(admin.page, `${names.parent} 于`, false).waitFor();
      await visibleText(admin.page, '已使用').first().waitFor();

      // And the server agrees.
      const adminApi = await signInAs(server, 'county-admin');
      const used = (await adminApi.get<ResponseOf<'invitationsList'>>('/invitations?status=used')).body.items;
      expect(used).toEqual([expect.objectContaining({ role: 'supervisor', usedByName: names.parent, note: '交给张秀英' })]);
      expect([...admin.errors, ...parent.errors]).toEqual([]);
    } finally {
      await admin.context.close();
      await parent.context.close();
    }
  }, 90_000);

  test('a county admin revokes an active code', async () => {
    const adminApi = await signInAs(server, 'county-admin');
    const created = await adminApi.post<ResponseOf<'invitationsCreate'>>('/invitations', {
      role: 'official',
      position: 'cadre',
      unit: { kind: 'division', code: '411522101000' },
      note: '待撤销',
    });
    expect(created.status).toBe(201);
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '邀请码管理').click());
      const item = page.locator('.list-item').filter({ visible: true }).filter({ hasText: '待撤销' });
      await item.getByText('撤销', { exact: true }).click();
      await confirmModal(page, '撤销');
      await item.getByText('已撤销', { exact: true }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe('the H5 app: a second county admin, and a code that changes a role', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the admin confirms a county admin code; a supervisor sees what changes and confirms it', async () => {
    const admin = await openPhone(browser);
    const supervisor = await openPhone(browser);
    try {
      await signInWithDemoAccount(admin.page, server.baseUrl, names['county-admin']!);
      await navigate(admin.page, () => visibleText(admin.page, '邀请码管理').click());
      await navigate(admin.page, () => visibleText(admin.page, '发放邀请码').click());
      await visibleText(admin.page, '县管理员').click();
      // the unit is the admin's own county, not a choice
      await visibleText(admin.page, '光山县（县教育局）').waitFor();
      await input(admin.page, '被邀请人姓名或说明').fill('副局长');
      await screenshot(admin.page, 'invitation-county-admin');
      await visibleText(admin.page, '生成邀请码').click();
      // asked once more: cancelling makes no code
      await visibleText(admin.page, /可以查看全县儿童和案件信息/, false).waitFor();
      await modalButton(admin.page, '取消');
      const adminApi = await signInAs(server, 'county-admin');
      const countyAdminCodes = async () =>
        (await adminApi.get<ResponseOf<'invitationsList'>>('/invitations')).body.items.filter((i) => i.role === 'county_admin');
      expect(await countyAdminCodes()).toEqual([]);
      await visibleText(admin.page, '生成邀请码').click();
      await modalButton(admin.page, '确认生成');
      const codeText = admin.page.locator('.invitation-code').filter({ visible: true });
      await codeText.waitFor();
      const code = (await codeText.innerText()).trim();
      expect(await countyAdminCodes()).toEqual([expect.objectContaining({ note: '副局长', position: null, status: 'active' })]);

      // the supervisor enters it: the page shows the change and uses the code only when confirmed
      await signInWithDemoAccount(supervisor.page, server.baseUrl, names.supervisor!);
      await navigate(supervisor.page, () => visibleText(supervisor.page, '输入邀请码').click());
      await input(supervisor.page, '请输入邀请码').fill(code);
      await visibleText(supervisor.page, '确认使用邀请码').click();
      await visibleText(supervisor.page, '使用这个邀请码会改变您的身份').waitFor();
      await visibleText(supervisor.page, '现在：光山县 十里镇 吴明村民委员会 社会监督员').waitFor();
      await visibleText(supervisor.page, '使用后：光山县 县教育局管理员').waitFor();
      await visibleText(supervisor.page, '不变更，返回').waitFor();
      await screenshot(supervisor.page, 'invitation-role-change');
      expect((await countyAdminCodes())[0]!.status).toBe('active');
      await navigate(supervisor.page, () => visibleText(supervisor.page, '确认变更并使用邀请码').click());
      const card = supervisor.page.locator('.user-card').filter({ visible: true });
      await card.locator('.user-role').getByText('县教育局管理员', { exact: true }).waitFor();
      expect((await countyAdminCodes())[0]).toMatchObject({
        status: 'used',
        usedByName: names.supervisor,
        issuedByName: names['county-admin'],
      });
      expect([...admin.errors, ...supervisor.errors]).toEqual([]);
    } finally {
      await admin.context.close();
      await supervisor.context.close();
    }
  }, 90_000);
});

/** Taro's H5 showModal: presses one of its buttons. */
async function modalButton(page: Page, text: string): Promise<void> {
  await page.locator('.taro-modal__foot div').filter({ hasText: text }).filter({ visible: true }).click();
}

/** Taro's H5 showModal: a dialog with the confirm text as its button. */
async function confirmModal(page: Page, confirmText: string): Promise<void> {
  await page.locator('.taro-modal__foot div').filter({ hasText: confirmText }).filter({ visible: true }).click();
}
