import { POSITION_LABELS, ROLE_LABELS, SCHOOL_STAGE_LABELS } from '@baoxue/shared';
import type { AuthOptions, Me, ResponseOf, SessionResponse } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { api, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';

/** The demo accounts the product ships (README, BRIEF §1): one per role and official position. */
const DEMO_ACCOUNTS = [
  'parent',
  'supervisor',
  'township-leader',
  'township-cadre',
  'village-cadre',
  'school-staff',
  'school-leader',
  'zhaihe-cadre',
  'county-admin',
];

describe('the H5 app: every demo role signs in and reaches its home', () => {
  let server: TestServer;
  let browser: Browser;
  let options: AuthOptions;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    options = (await api(server).get<AuthOptions>('/auth/options')).body;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the sign-in page offers exactly the demo accounts', () => {
    expect(options.devLogin).toBe(true);
    expect(options.demoAccounts.map((demo) => demo.account).sort()).toEqual([...DEMO_ACCOUNTS].sort());
  });

  test.each(DEMO_ACCOUNTS)(
    '%s',
    async (account) => {
      const demo = options.demoAccounts.find((candidate) => candidate.account === account)!;
      const session = (await api(server).post<SessionResponse>('/auth/dev-login', { account })).body;
      const client = api(server, session.token);
      const { context, page, errors } = await openPhone(browser);
      try {
        await signInWithDemoAccount(page, server.baseUrl, demo.displayName);
        await expectUserCard(page, session.user);
        await expectRoleSection(page, session.user);
        await expectDashboard(page, session.user, client);
        await screenshot(page, account);
        await exploreRolePages(page, session.user, client, account);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    },
    60_000,
  );
});

async function expectUserCard(page: Page, user: Me): Promise<void> {
  const card = page.locator('.user-card').filter({ visible: true });
  const role = ROLE_LABELS[user.role] + (user.position ? ` · ${POSITION_LABELS[user.position]}` : '');
  await card.waitFor();
  expect(await card.locator('.user-name').innerText()).toBe(user.displayName);
  expect(await card.locator('.user-role').innerText()).toBe(role);
  if (user.unit)
    expect(await card.locator('.user-unit').innerText()).toBe(user.unit.kind === 'division' ? user.unit.fullName : user.unit.name);
}

async function expectRoleSection(page: Page, user: Me): Promise<void> {
  switch (user.role) {
    case 'county_admin':
      for (const entry of ['县级管理', '邀请码管理', '学校管理', '账号管理', '区划导入']) await visibleText(page, entry).waitFor();
      return;
    case 'official':
      await visibleText(page, '本单位').waitFor();
      await visibleText(page, user.unit?.kind === 'school' ? '学校信息' : '下辖区划与辖区内学校').waitFor();
      // a school's staff start the day from the school line (BRIEF §4a)
      if (user.unit?.kind === 'school') await visibleText(page, '学校工作台 · 点名').waitFor();
      return;
    case 'supervisor':
    case 'parent':
      await page.locator('.section-title').filter({ visible: true }).getByText(ROLE_LABELS[user.role], { exact: true }).waitFor();
      await visibleText(page, '输入邀请码').waitFor();
      await visibleText(page, '个人资料').waitFor();
      return;
  }
}

/**
 * The county admin's and a township leader's home opens with their dashboard (issue 16): the API's
 * figures on cards, the rates, the trend; the overdue card opens the inbox filtered to overdue cases.
 * Nobody else has one.
 */
async function expectDashboard(page: Page, user: Me, client: ApiClient): Promise<void> {
  const leader = user.role === 'official' && user.unit?.kind === 'division' && user.unit.level === 'township' && user.position === 'leader';
  const figures = page.locator('.dash-figure').filter({ visible: true });
  if (user.role !== 'county_admin' && !leader) {
    await visibleText(page, user.role === 'official' ? '本单位' : '个人资料')
      .first()
      .waitFor();
    expect(await figures.count()).toBe(0);
    return;
  }
  const dashboard = (await client.get<ResponseOf<'dashboard'>>('/dashboard')).body;
  await visibleText(page, '工作台').waitFor();
  for (const figure of [...Object.values(dashboard.cases), { label: '今日调度', count: dashboard.dispatch.count }]) {
    const card = figures.filter({ has: page.getByText(figure.label, { exact: true }) });
    expect(await card.locator('.dash-value').innerText()).toBe(String(figure.count));
  }
  for (const stage of dashboard.rates.stages) await visibleText(page, stage.label).first().waitFor();
  await visibleText(page, `近${dashboard.trend.length}周趋势`).waitFor();
  await navigate(page, () => figures.filter({ has: page.getByText('已逾期', { exact: true }) }).click());
  await visibleText(page, '筛选：只看超期').waitFor();
  await navigate(page, () => page.goBack());
  await visibleText(page, '工作台').waitFor();
}

/** Opens the pages the role's home leads to and checks each shows the server's data. */
async function exploreRolePages(page: Page, user: Me, client: ApiClient, account: string): Promise<void> {
  if (user.role === 'county_admin') {
    const [schools, accounts] = await Promise.all([
      client.get<ResponseOf<'schoolsList'>>('/schools?limit=5'),
      client.get<ResponseOf<'accountsList'>>('/accounts?limit=5'),
    ]);
    await openAndCheck(page, '邀请码管理', ['发放邀请码', '全部']);
    await openAndCheck(page, '学校管理', ['新增学校', schools.body.items[0]!.name]);
    await openAndCheck(page, '账号管理', [accounts.body.items[0]!.displayName]);
    await openAndCheck(page, '区划导入', ['选择区划文件']);
    return;
  }
  if (user.role !== 'official' || !user.unit) return;

  if (user.unit.kind === 'school') {
    const school = (await client.get<ResponseOf<'schoolsGet'>>(`/schools/${user.unit.schoolId}`)).body;
    await navigate(page, () => visibleText(page, '学校信息').click());
    const card = page.locator('.list-item').filter({ visible: true });
    expect(await card.locator('.list-item-title').innerText()).toBe(school.name);
    expect(await card.locator('.tag').innerText()).toBe(SCHOOL_STAGE_LABELS[school.stage]);
  } else {
    const { code, name, fullName } = user.unit;
    const [children, schools] = await Promise.all([
      client.get<ResponseOf<'divisionsChildren'>>(`/divisions/${code}/children`),
      client.get<ResponseOf<'schoolsList'>>(`/schools?under=${code}&limit=20`),
    ]);
    await navigate(page, () => visibleText(page, `${name}辖区`).click());
    await visibleText(page, fullName).waitFor();
    if (children.body.items.length) await visibleText(page, children.body.items[0]!.name).waitFor();
    if (schools.body.items.length) await visibleText(page, schools.body.items[0]!.name).waitFor();
    else await visibleText(page, '辖区内还没有登记学校').waitFor();
  }
  await screenshot(page, `${account}-unit`);
}

async function openAndCheck(page: Page, entry: string, expected: string[]): Promise<void> {
  await navigate(page, () => visibleText(page, entry).click());
  for (const text of expected) await visibleText(page, text).first().waitFor();
  await navigate(page, () => page.goBack());
  await visibleText(page, '县级管理').waitFor();
}
