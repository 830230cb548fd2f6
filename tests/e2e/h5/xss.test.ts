import { APP_PAGES, type ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { NotificationsService } from '../../../server/src/modules/notifications/notifications.service';
import { signInAs } from '../../support/api';
import { launchChromium, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit } from '../../support/tips';

/**
 * Text people typed is shown as text, never run as markup (issue 8, item 4): records whose fields
 * hold script payloads are made through the API, and every page that shows them must display the
 * payload literally without calling `xss()` or opening a dialog.
 */
const PAYLOAD = {
  childName: '<svg onload=xss()>', // 18 characters: within the 20 a child's name may have
  observation: '<img src=x onerror=xss()> 孩子没去上学 <script>xss()</script>',
  locationNote: '<a href="javascript:xss()">村口</a><iframe src="javascript:xss()">',
  displayName: '<b onclick=xss()>陈丽', // a cadre's own name (≤ 20), as the county's account list shows it
  visitReason: '<img src=x onerror=xss()>家里缺劳力',
  visitCommitments: '"><script>xss()</script>下周返校',
  messageTitle: '<svg/onload=xss()>新消息',
  messageBody: '<img src=1 onerror="xss()">请查看',
};

interface Visit {
  name: string;
  account: string;
  url: () => string;
  shows: string[];
}

describe('the H5 app renders hostile text as text', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let tipId: string;
  let caseId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);

    await raiseTipLimit(server.dataSource);
    const supervisor = await signInAs(server, 'supervisor');
    const filed = await fileTip(supervisor, {
      child: { name: PAYLOAD.childName },
      observation: PAYLOAD.observation,
      locationNote: PAYLOAD.locationNote,
    });
    expect(filed.status).toBe(201);
    tipId = filed.body.tip.id;

    // The cadre takes the case under a hostile name, verifies, confirms and logs a visit.
    const cadre = await signInAs(server, 'township-cadre');
    expect((await cadre.patch('/me', { displayName: PAYLOAD.displayName })).status).toBe(200);
    const inbox = (await cadre.get<ResponseOf<'casesList'>>('/cases')).body;
    caseId = inbox.items.find((item) => item.child.name === PAYLOAD.childName)!.id;
    let version = (await cadre.post<ResponseOf<'casesAccept'>>(`/cases/${caseId}/accept`, {})).body.version;
    for (const step of [
      { transition: 'start_verification', note: null },
      { transition: 'confirm', causes: ['poverty'], note: null },
    ]) {
      const moved = await cadre.post<ResponseOf<'casesTransition'>>(`/cases/${caseId}/transitions`, { version, ...step });
      expect(moved.status).toBe(200);
      version = moved.body.version;
    }
    const yesterday = new Date(server.clock.now().getTime() - 86_400_000).toISOString().slice(0, 10);
    const visit = await cadre.post(`/cases/${caseId}/visits`, {
      version,
      visitedOn: yesterday,
      visitors: '陈丽',
      met: '母亲',
      statedReason: PAYLOAD.visitReason,
      commitments: PAYLOAD.visitCommitments,
      outcome: 'considering',
    });
    expect(visit.status).toBe(200);

    // A message carrying typed text, as notifications quote names and titles.
    await server.dataSource.transaction(async (manager) => {
      const user = await manager.findOneByOrFail(User, { demoAccount: 'supervisor' });
      await server.app
        .get(NotificationsService)
        .notify(manager, [user.id], { key: 'xss-test', title: PAYLOAD.messageTitle, body: PAYLOAD.messageBody, link: null });
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const page =
    (path: string, query = '') =>
    () =>
      `${server.baseUrl}/#${path}${query}`;
  const VISITS: Visit[] = [
    { name: 'supervisor-tips', account: 'supervisor', url: page('/packages/supervisor/pages/tips/index'), shows: [PAYLOAD.childName] },
    {
      name: 'supervisor-tip',
      account: 'supervisor',
      url: () => page(APP_PAGES.supervisorTip, `?id=${tipId}`)(),
      shows: [PAYLOAD.childName, PAYLOAD.observation],
    },
    {
      name: 'supervisor-messages',
      account: 'supervisor',
      url: page(APP_PAGES.messages),
      shows: [PAYLOAD.messageTitle, PAYLOAD.messageBody],
    },
    { name: 'official-inbox', account: 'township-cadre', url: page('/packages/official/pages/inbox/index'), shows: [PAYLOAD.childName] },
    {
      name: 'official-case',
      account: 'township-cadre',
      url: () => page(APP_PAGES.officialCase, `?id=${caseId}`)(),
      shows: [PAYLOAD.childName, PAYLOAD.observation, PAYLOAD.visitReason, PAYLOAD.displayName],
    },
    { name: 'county-accounts', account: 'county-admin', url: page('/packages/county/pages/accounts/index'), shows: [PAYLOAD.displayName] },
  ];

  async function open(
    account: string,
  ): Promise<{ page: Page; calls: () => Promise<number>; dialogs: string[]; close: () => Promise<void> }> {
    const phone = await openPhone(browser);
    await phone.page.addInitScript(() => {
      const w = window as unknown as { xssCalls: number; xss: () => void };
      w.xssCalls = 0;
      w.xss = () => {
        w.xssCalls++;
      };
    });
    const dialogs: string[] = [];
    phone.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // The cadre's display name is a payload now; the sign-in page lists demo accounts by name.
    const label = account === 'township-cadre' ? PAYLOAD.displayName : names[account]!;
    await signInWithDemoAccount(phone.page, server.baseUrl, label);
    return {
      page: phone.page,
      calls: () => phone.page.evaluate(() => (window as unknown as { xssCalls: number }).xssCalls),
      dialogs,
      close: () => phone.context.close(),
    };
  }

  test.each(VISITS.map((v) => [v.name, v] as const))(
    '%s shows the payloads literally and runs none',
    async (_name, visit) => {
      const phone = await open(visit.account);
      try {
        await phone.page.goto(visit.url());
        await settled(phone.page);
        for (const text of visit.shows) await visibleText(phone.page, text, false).first().waitFor();
        // the app rendered no element out of a payload
        expect(
          await phone.page.locator('.taro_page svg[onload], .taro_page img[onerror], .taro_page script, .taro_page iframe').count(),
        ).toBe(0);
        // give error and load handlers a moment: a broken <img> fires onerror asynchronously
        await phone.page.waitForTimeout(300);
        await screenshot(phone.page, `xss-${visit.name}`);
        expect({ xssCalls: await phone.calls(), dialogs: phone.dialogs }).toEqual({ xssCalls: 0, dialogs: [] });
      } finally {
        await phone.close();
      }
    },
    60_000,
  );
});
