import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Me, ResponseOf } from '@baoxue/shared';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { Division } from '../../../server/src/modules/divisions/division.entity';
import { PAGES } from '../../../miniapp/src/routes';
import { navEntries } from '../../../miniapp/src/utils/nav';
import { signInAs, type ApiClient } from '../../support/api';
import { ARTIFACTS_H5, input, launchChromium, settled, visibleText } from '../../support/browser';
import { clientFor, createUser } from '../../support/factories';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit, SHILI } from '../../support/tips';

/**
 * Issue 16 item 5 in Chromium: every page each role can open, at a phone's width (375×812) and a
 * desk's (1440×900), loads without a console error, has no serious or critical axe-core violation
 * of WCAG 2 A/AA, and is screenshotted to artifacts/h5/<width>/<role>-<page>.png. On the phone no
 * tap target is smaller than 44×44 px; on the desk body text is 14–16 px.
 */

type PageKey = keyof typeof PAGES;
type Seeds = Awaited<ReturnType<typeof seedRecords>>;
/** A page to visit: its key in routes.ts, and the query it needs (a seeded record's id; null when the record is missing). */
type Visit = { page: PageKey; query?: (seeds: Seeds) => Record<string, string> | null };

const WIDTHS = [
  { name: '375', viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 },
  { name: '1440', viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
] as const;

/** The tabs every signed-in person has. */
const TABS: Visit[] = [{ page: 'home' }, { page: 'messages' }, { page: 'me' }];

/**
 * Pages reached from another page rather than from the home menu, with the seeded record a page
 * needs. A role that opens the page on the left opens these too.
 */
const REACHED_FROM: Partial<Record<PageKey, Visit[]>> = {
  me: [{ page: 'profile' }, { page: 'redeemInvitation' }],
  officialInbox: [{ page: 'officialCase', query: (seeds) => ({ id: seeds.caseId }) }],
  countyTriage: [{ page: 'officialCase', query: (seeds) => ({ id: seeds.caseId }) }],
  supervisorTips: [{ page: 'supervisorTip', query: (seeds) => ({ id: seeds.tipId }) }],
  invitations: [{ page: 'invitationCreate' }],
  schools: [{ page: 'schoolEdit' }, { page: 'schoolEdit', query: (seeds) => ({ id: seeds.schoolId }) }],
  schoolNotices: [{ page: 'schoolNoticeSend' }],
  enrolmentBatches: [{ page: 'enrolmentIssue' }],
  subsidies: [{ page: 'subsidyPolicies' }, { page: 'subsidyEligibility' }, { page: 'subsidyPayments' }, { page: 'countyComplaints' }],
  countyComplaints: [{ page: 'countyComplaint', query: (seeds) => ({ id: seeds.complaintId }) }],
  receivedCirculars: [{ page: 'circular', query: (seeds) => (seeds.circularId ? { id: seeds.circularId } : null) }],
  dropoutStats: [{ page: 'cohortIntakes' }],
  schoolHome: [
    { page: 'schoolRollCall', query: (seeds) => seeds.schoolClass },
    { page: 'schoolWeek', query: (seeds) => seeds.schoolClass },
    { page: 'schoolTeachers' },
  ],
  schoolAlerts: [{ page: 'schoolPupil', query: (seeds) => ({ id: seeds.pupilId }) }],
  parentChildren: [
    { page: 'parentBind' },
    { page: 'parentAccessHistory', query: (seeds) => ({ childId: seeds.childId }) },
    { page: 'parentSubsidies', query: (seeds) => ({ childId: seeds.childId }) },
  ],
  parentLeave: [{ page: 'parentLeaveRequest', query: (seeds) => ({ childId: seeds.childId }) }],
  parentComplaint: [{ page: 'parentComplaint', query: (seeds) => ({ id: seeds.complaintId }) }],
  parentSubsidies: [{ page: 'parentComplaint' }],
  reports: [{ page: 'reportList' }, { page: 'report', query: (seeds) => (seeds.reportId ? { id: seeds.reportId } : null) }],
  spotChecks: [{ page: 'spotCheck', query: (seeds) => (seeds.spotCheckId ? { id: seeds.spotCheckId } : null) }],
};

/** The accounts the checks sign in as: nobody, each demo account, and a province user. The county admin, who sees the most records, comes first (see visitsByRole). */
const ROLES = [
  'signed-out',
  'county-admin',
  'township-leader',
  'township-cadre',
  'village-cadre',
  'school-leader',
  'school-staff',
  'supervisor',
  'parent',
  'region-admin',
] as const;
type RoleName = (typeof ROLES)[number];

/** Everything a role can open: its tabs, its entries in the navigation model (utils/nav.ts), and what those lead to. */
function pagesOf(user: Me | null): Visit[] {
  if (!user) return [{ page: 'login' }];
  const visits: Visit[] = [];
  const add = (visit: Visit) => {
    if (visits.some((known) => known.page === visit.page && !!known.query === !!visit.query)) return;
    visits.push(visit);
    for (const next of REACHED_FROM[visit.page] ?? []) add(next);
  };
  [...TABS, ...navEntries(user).map((entry): Visit => ({ page: entry.page }))].forEach(add);
  return visits;
}

/**
 * Pages whose content is the role's own (its home and tabs, its unit, its inbox, a case with the
 * actions this role may take, the school's or the township's day): every role that opens them is
 * checked. Any other page is the same screen for each role that opens it, with that role's records:
 * the first of ROLES that opens it checks it. BX_A11Y_EVERY_ROLE=1 checks every page for
 * every role that opens it (about twice as long).
 */
const OWN_CONTENT: ReadonlySet<PageKey> = new Set<PageKey>([
  'home',
  'messages',
  'me',
  'officialUnit',
  'officialInbox',
  'officialCase',
  'countyDispatch',
  'schoolHome',
  'schoolRollCall',
  'scorecards',
]);

/** What each role's checks visit (see OWN_CONTENT), from what each can open. */
function visitsByRole(pages: ReadonlyMap<RoleName, Visit[]>): Map<RoleName, Visit[]> {
  const seen = new Set<string>();
  return new Map(
    ROLES.map((role) => [
      role,
      (pages.get(role) ?? []).filter((visit) => {
        const key = `${visit.page}${visit.query ? '?' : ''}`;
        const first = !seen.has(key);
        seen.add(key);
        return first || OWN_CONTENT.has(visit.page) || process.env.BX_A11Y_EVERY_ROLE === '1';
      }),
    ]),
  );
}

/** While working on some pages: BX_A11Y_PAGES=officialCase|officialInbox visits only these (a regular expression on the key). */
const ONLY_PAGES = new RegExp(`^(?:${process.env.BX_A11Y_PAGES ?? '.*'})$`);

/** BX_A11Y_WIDTHS=375 checks one width only. */
const ONLY_WIDTHS = new RegExp(`^(?:${process.env.BX_A11Y_WIDTHS ?? '.*'})$`);

/** Pages no role opens from its menus, and why. */
const NOT_VISITED: Partial<Record<PageKey, string>> = {
  entry: 'redirects at once to the sign-in page or the home',
  desktopCode: 'only in the WeChat build: the phone issues the code a computer signs in with',
};

describe('the H5 app is accessible on every page, for every role, on a phone and at a desk', () => {
  let server: TestServer;
  let browser: Browser;
  let seeds: Seeds;
  const sessions = new Map<RoleName, BrowserContextOptions['storageState']>();
  /** What each role can open, and what the checks visit. */
  const pages = new Map<RoleName, Visit[]>();
  let visits = new Map<RoleName, Visit[]>();

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    seeds = await seedRecords(server);
    for (const [role, user] of await signInEveryRole(server, browser, sessions)) pages.set(role, pagesOf(user));
    visits = visitsByRole(pages);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('every page of routes.ts is visited by some role, or is listed with the reason it is not', () => {
    const visited = new Set([...pages.values()].flatMap((opened) => opened.map((visit) => visit.page)));
    const unaccounted = (Object.keys(PAGES) as PageKey[]).filter((key) => !visited.has(key) && !NOT_VISITED[key]);
    expect(unaccounted).toEqual([]);
  });

  describe.each(ROLES)('%s', (role) => {
    let results: PageResult[];

    beforeAll(async () => {
      // the two widths at once, each in a browser context of its own: each check waits on its own page only
      const byWidth = await Promise.all(
        WIDTHS.filter((candidate) => ONLY_WIDTHS.test(candidate.name)).map(async (width) => {
          const context = await browser.newContext({
            viewport: width.viewport,
            deviceScaleFactor: width.deviceScaleFactor,
            locale: 'zh-CN',
            timezoneId: 'Asia/Shanghai',
            storageState: sessions.get(role),
          });
          const page = await context.newPage();
          const checked: PageResult[] = [];
          try {
            for (const visit of visits.get(role)!.filter((visit) => ONLY_PAGES.test(visit.page)))
              checked.push(await check(page, server, role, width.name, visit, seeds));
          } finally {
            await context.close();
          }
          return checked;
        }),
      );
      results = byWidth.flat();
      // a role's pages take one to two minutes; a machine shared with other work can take several times that
    }, 900_000);

    test('every page loads without a console error', () => {
      expect(results.filter((result) => result.errors.length).map((result) => `${result.label}: ${result.errors.join(' | ')}`)).toEqual([]);
    });

    test('axe-core finds no serious or critical WCAG 2 A/AA violation', () => {
      expect(results.flatMap((result) => result.violations.map((violation) => `${result.label}: ${violation}`))).toEqual([]);
    });

    test('on a phone (375 px) every tap target is at least 44×44 px', () => {
      const phone = results.filter((result) => result.width === '375');
      expect(phone.flatMap((result) => result.smallTargets.map((target) => `${result.label}: ${target}`))).toEqual([]);
    });

    test('at a desk (1440 px) body text is 14–16 px', () => {
      const desk = results.filter((result) => result.width === '1440');
      expect(desk.flatMap((result) => result.offSizeText.map((text) => `${result.label}: ${text}`))).toEqual([]);
    });
  });
});

interface PageResult {
  label: string;
  width: string;
  errors: string[];
  violations: string[];
  smallTargets: string[];
  offSizeText: string[];
}

/** Opens one page from a fresh load and measures it. */
async function check(page: Page, server: TestServer, role: string, width: string, visit: Visit, seeds: Seeds): Promise<PageResult> {
  const seeded = visit.query ? visit.query(seeds) : {};
  if (!seeded) {
    const label = `${width} ${role}-${kebab(visit.page)}`;
    return {
      label,
      width,
      errors: [`no seeded record to open (${seeds.failures.join('; ')})`],
      violations: [],
      smallTargets: [],
      offSizeText: [],
    };
  }
  const query = seeded;
  const search = new URLSearchParams(query).toString();
  const name = `${role}-${kebab(visit.page)}${Object.keys(query).length ? `-${Object.keys(query).join('-')}` : ''}`;
  const label = `${width} ${name} (${PAGES[visit.page]}${search ? `?${search}` : ''})`;
  const errors: string[] = [];
  const onConsole = (message: { type(): string; text(): string }) => void (message.type() === 'error' && errors.push(message.text()));
  const onPageError = (error: Error) => void errors.push(error.message);
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  try {
    // a fresh load each time: the page stack of an earlier page never mixes into this one's checks
    await page.goto('about:blank');
    await page.goto(`${server.baseUrl}/#${PAGES[visit.page]}${search ? `?${search}` : ''}`);
    await settled(page);
    await loaded(page);
    const dir = join(ARTIFACTS_H5, width);
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    const axe = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa'])
      .options({ resultTypes: ['violations'] })
      .analyze();
    const violations = axe.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `[${violation.impact}] ${violation.id}: ${violation.help}\n` +
          violation.nodes
            .slice(0, 8)
            .map((node) => `    ${node.target.join(' ')} — ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
            .join('\n') +
          (violation.nodes.length > 8 ? `\n    … and ${violation.nodes.length - 8} more` : ''),
      );
    const smallTargets = width === '375' ? await tapTargetsUnder44(page) : [];
    const offSizeText = width === '1440' ? await bodyTextOutside14To16(page) : [];
    return { label, width, errors: [...errors], violations, smallTargets, offSizeText };
  } catch (error) {
    // one page that never settles is that page's failure, not the end of the role's checks
    const failure = `did not load: ${(error as Error).message.split('\n')[0]}`;
    return { label, width, errors: [...errors, failure], violations: [], smallTargets: [], offSizeText: [] };
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
  }
}

/** Waits until the page has drawn its data: no "加载中…" left on screen. */
async function loaded(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      !Array.from(document.querySelectorAll('.status')).some(
        (element) => (element as HTMLElement).offsetParent !== null && element.textContent?.trim() === '加载中…',
      ),
    undefined,
    { timeout: 10_000 },
  );
}

/**
 * Interactive elements on screen smaller than 44×44 CSS px. What counts: buttons, links, inputs,
 * pickers, checkboxes and radios (Taro's H5 components and plain HTML), and every element marked
 * role=button / link / checkbox / radio / tab (the app marks its tappable Views so). An element inside
 * another target is measured as that target (a checkbox inside a tappable row). Exempt: a link
 * inside a sentence (WCAG 2.5.8's inline exception), marked `.inline-link`.
 */
async function tapTargetsUnder44(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'button',
      'a[href]',
      'input:not([type=hidden])',
      'textarea',
      'select',
      'taro-button-core',
      'taro-input-core',
      'taro-textarea-core',
      'taro-picker-core',
      'taro-checkbox-core',
      'taro-radio-core',
      'taro-switch-core',
      '[role=button]',
      '[role=link]',
      '[role=checkbox]',
      '[role=radio]',
      '[role=tab]',
      '[role=switch]',
      '[role=option]',
    ].join(',');
    const shown = (element: Element) => {
      const style = getComputedStyle(element);
      const box = element.getBoundingClientRect();
      return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
    };
    const small: string[] = [];
    for (const element of Array.from(document.querySelectorAll(selector))) {
      if (!shown(element) || element.closest('.inline-link')) continue;
      // measured as the target that holds it
      if (element.parentElement?.closest(selector)) continue;
      const box = element.getBoundingClientRect();
      if (box.width >= 43.5 && box.height >= 43.5) continue;
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 30);
      const classes = typeof element.className === 'string' ? element.className.split(/\s+/).filter(Boolean).join('.') : '';
      small.push(
        `<${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''}> "${text}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
    }
    return small;
  });
}

/**
 * Body text on screen whose computed size is outside 14–16 px: the page's own size, paragraphs,
 * list lines, menu entries, notes and detail values (not headings, figures, captions or the tab bar's labels).
 */
async function bodyTextOutside14To16(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'p:not(.weui-tabbar__label)',
      'li',
      '.list-item-line',
      '.menu-title',
      '.section-note',
      '.card-note',
      '.notice',
      '.detail-value',
    ].join(',');
    const measured = [
      document.querySelector('.taro_page:not([style*="display: none"]) .screen') ?? document.body,
      ...Array.from(document.querySelectorAll(selector)),
    ];
    const off: string[] = [];
    for (const element of measured) {
      const box = element.getBoundingClientRect();
      if (!box.width || !box.height || getComputedStyle(element).display === 'none') continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      if (size >= 14 && size <= 16) continue;
      const classes = typeof element.className === 'string' ? element.className.split(/\s+/).filter(Boolean).join('.') : '';
      off.push(
        `<${element.tagName.toLowerCase()}${classes ? `.${classes}` : ''}> "${(element.textContent ?? '').trim().slice(0, 20)}" ${size.toFixed(1)} px`,
      );
    }
    return [...new Set(off)].slice(0, 10);
  });
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/**
 * The records pages with an id open: a tip and its case (about a pupil of 十里镇中心小学, so the
 * school's staff see it too), a pupil with an absence alert and a class (the demo's school line), a
 * bound child with a subsidy complaint, a published 通报, a school.
 */
async function seedRecords(server: TestServer) {
  await raiseTipLimit(server.dataSource);
  const [supervisor, county, parent, staff] = await Promise.all(
    ['supervisor', 'county-admin', 'parent', 'school-staff'].map((account) => signInAs(server, account)),
  );
  const schools = (await staff.get<ResponseOf<'classesList'>>('/classes')).body;
  const tip = await fileTip(supervisor, { child: { name: '无障碍测试童', lastSchoolId: schools.schoolId } });
  if (tip.status !== 201) throw new Error(`tip: ${tip.status} ${JSON.stringify(tip.body)}`);
  const cases = (await county.get<ResponseOf<'casesList'>>('/cases?limit=1')).body;
  const alerts = (await staff.get<ResponseOf<'absenceAlertsList'>>('/absence-alerts')).body;
  const mine = schools.classes.find((entry) => entry.mine) ?? schools.classes[0]!;

  const bound = await parent.post<{ id: string }>('/children/bind', { bindingCode: 'SLZX2468', childName: '王梓轩', relation: 'mother' });
  if (bound.status !== 200) throw new Error(`bind: ${bound.status} ${JSON.stringify(bound.body)}`);
  const complaint = await parent.post<{ id: string }>('/subsidies/complaints', {
    childId: bound.body.id,
    semester: '2026-autumn',
    text: '本学期的生活补助还没有收到。',
  });
  if (complaint.status !== 201) throw new Error(`complaint: ${complaint.status} ${JSON.stringify(complaint.body)}`);
  const circular = await county.post<{ id: string }>('/circulars', {
    title: '考核通报',
    by: 'township',
    from: '2026-09-01',
    to: '2026-11-30',
    idempotencyKey: randomUUID(),
  });
  const school = (await county.get<ResponseOf<'schoolsList'>>('/schools?limit=1')).body.items[0]!;
  const leader = await signInAs(server, 'township-leader');
  const report = await leader.post<{ id: string }>('/reports', {});
  const spotCheck = await county.post<{ id: string }>('/spot-checks', {
    from: '2026-09-01',
    to: '2026-11-30',
    townships: [{ townshipCode: SHILI, share: 50 }],
    idempotencyKey: randomUUID(),
  });
  const failed = (what: string, response: { status: number; body: unknown }) =>
    response.status === 200 || response.status === 201 ? [] : [`${what}: ${response.status} ${JSON.stringify(response.body)}`];
  return {
    tipId: tip.body.tip.id,
    caseId: cases.items[0]!.id,
    pupilId: alerts.items[0]!.childId,
    schoolClass: { grade: String(mine.grade), className: mine.className },
    childId: bound.body.id,
    complaintId: complaint.body.id,
    // a record that could not be made leaves its page without one: the page's visits report it, the others go on
    circularId: circular.status === 201 ? circular.body.id : null,
    reportId: report.status === 201 || report.status === 200 ? report.body.id : null,
    spotCheckId: spotCheck.status === 201 ? spotCheck.body.id : null,
    failures: [...failed('通报', circular), ...failed('定期报告', report), ...failed('督导抽查', spotCheck)],
    schoolId: school.id,
  };
}

/**
 * Signs each demo account in through the sign-in page once, and a province user with a desktop code;
 * keeps each browser's storage (its session) and answers who each one is (null: signed out).
 */
async function signInEveryRole(
  server: TestServer,
  browser: Browser,
  sessions: Map<RoleName, BrowserContextOptions['storageState']>,
): Promise<Map<RoleName, Me | null>> {
  const names = await demoAccountNames(server);
  const users = new Map<RoleName, Me | null>();
  for (const role of ROLES) {
    if (role === 'signed-out') {
      users.set(role, null);
      continue;
    }
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    try {
      const client = role === 'region-admin' ? await signInAsProvince(server, page) : await signInAs(server, role);
      if (role !== 'region-admin') await signInWithDemoAccount(page, server.baseUrl, names[role]!);
      users.set(role, (await client.get<Me>('/me')).body);
      sessions.set(role, await context.storageState());
    } finally {
      await context.close();
    }
  }
  return users;
}

/** A province user (河南省教育局), signed in on the computer with a code from the phone; answers the phone's client. */
async function signInAsProvince(server: TestServer, page: Page): Promise<ApiClient> {
  await server.dataSource.manager.upsert(
    Division,
    [
      { code: '410000000000', name: '河南省', level: 'province', parentCode: null },
      { code: '411500000000', name: '信阳市', level: 'prefecture', parentCode: '410000000000' },
    ],
    ['code'],
  );
  const user = await createUser(server.dataSource, { role: 'region_admin', unitDivisionCode: '410000000000', displayName: '豫省管理员' });
  const phone: ApiClient = await clientFor(server, user);
  const issued = await phone.post<ResponseOf<'authDesktopCode'>>('/auth/desktop-codes');
  await page.goto(`${server.baseUrl}/`);
  await input(page, '请输入登录码').fill(issued.body.code);
  await visibleText(page, '登录').click();
  await visibleText(page, '同意并继续').click();
  await page.waitForURL(/#\/pages\/home\/index/);
  await settled(page);
  return phone;
}
