import { CHILD_MATCH_REASONS } from '@baoxue/shared';
import type { Browser, Locator, Page } from 'playwright-core';
import { AuditEntry } from '../../../server/src/modules/audit/audit-entry.entity';
import { DropoutCase } from '../../../server/src/modules/cases/case.entity';
import { ChildMatchReview, ChildMerge } from '../../../server/src/modules/children/child-registry.entities';
import { Child } from '../../../server/src/modules/children/child.entity';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, resize, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit } from '../../support/tips';

/** 李堰塆村, 十里镇: the village next to the demo supervisor's 吴明村. */
const LIYANWAN = '411522101204';
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1440, height: 900 };

/**
 * BRIEF §3a in the county console (the H5 build, against a real server): a supervisor's tip names a
 * child who is on the 学籍 roster in the next village, so the registry keeps a new record and lists the
 * pair for review. The county admin compares the two records side by side, confirms they are one
 * child with a reason (the tip's case moves to the pupil), then splits the merge again, on the review
 * page and on the case page; the database follows each step. A township leader finds the same list.
 */
describe('the H5 console: records that may be one child', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let supervisorApi: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    await raiseTipLimit(server.dataSource, undefined, 500);
    supervisorApi = await signInAs(server, 'supervisor');
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const manager = () => server.dataSource.manager;

  /**
   * A fifth-grader on the roster in 李堰塆村 (a poor household), and a tip about a child of the same
   * name and age in 吴明村: two records, one pending review, and the tip's case on the new record.
   */
  async function rosterPupilAndTip(name: string) {
    const birthYear = new Date().getFullYear() - 11;
    const pupil = await createPupil(server.dataSource, {
      name,
      schoolId,
      grade: 5,
      villageCode: LIYANWAN,
      birthDate: `${birthYear}-04-12`,
    });
    await manager().update(Child, { id: pupil.id }, { priorityGroups: ['registered_poor'] });
    const tip = await fileTip(supervisorApi, { child: { name, sex: 'male', age: 11 } });
    expect(tip.status).toBe(201);
    const caseId = (await manager().findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId!;
    const reported = await manager().findOneByOrFail(DropoutCase, { id: caseId });
    expect(reported.childId).not.toBe(pupil.id);
    const review = await manager().findOneByOrFail(ChildMatchReview, { childId: reported.childId, candidateId: pupil.id });
    expect(review).toMatchObject({ status: 'pending', reason: 'neighbouring_village', source: 'tip' });
    return { pupil, reportedId: reported.childId, caseId, reviewId: review.id };
  }

  test('a county admin confirms a pair with a reason, sees the merged records and splits them again', async () => {
    const name = '邱梓萌';
    const { pupil, reportedId, caseId, reviewId } = await rosterPupilAndTip(name);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.setViewportSize(PHONE);
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '疑似重复儿童').click());

      // The pair side by side: why, where it came from, and both records with the ID number masked.
      const card = reviewCard(page, name);
      await card.getByText(CHILD_MATCH_REASONS.neighbouring_village, { exact: true }).waitFor();
      await card.getByText('发现来源：监督员线索', { exact: false }).waitFor();
      const [reported, known] = [side(card, '新登记的记录'), side(card, '已有的记录')];
      await reported.getByText('无学籍', { exact: true }).waitFor();
      await reported.getByText('没有身份证号', { exact: true }).waitFor();
      await reported.getByText('十里镇 吴明村', { exact: false }).waitFor();
      await reported.getByText('在办案件：待受理 ›', { exact: true }).waitFor();
      await known.getByText('学籍：光山县十里镇中心小学 五年级', { exact: true }).waitFor();
      await known.getByText(`身份证 ${pupil.idNumber!.slice(0, 6)}********${pupil.idNumber!.slice(-4)}`, { exact: true }).waitFor();
      await known.getByText(`${pupil.birthDate} 出生`, { exact: false }).waitFor();
      await known.getByText('十里镇 李堰塆村', { exact: false }).waitFor();
      await known.getByText('建档立卡/脱贫户', { exact: true }).waitFor();
      await known.getByText('没有在办案件', { exact: true }).waitFor();
      expect(await page.locator('.taro_page').filter({ visible: true }).innerText()).not.toContain(pupil.idNumber!);
      await screenshots(page, 'child-reviews-pending', card, { pair: name });

      // 是同一儿童: the roster record is suggested to stay, and a reason is required.
      await card.getByText('是同一儿童（合并）', { exact: true }).click();
      const dialog = page.locator('.reason-dialog').filter({ visible: true });
      await dialog.locator('.survivor-option-active').getByText('保留已有的记录（建议）', { exact: true }).waitFor();
      await dialog.getByText('合并', { exact: true }).click();
      await dialog.getByText('请填写理由', { exact: true }).waitFor();
      await dialog.locator('textarea').fill('核对了学籍和家长电话，是同一个孩子');
      // the dialog belongs to the phone card: at a desk the pairs are a table (its own shots below)
      await screenshots(page, 'child-reviews-merge-dialog', undefined, { phoneOnly: true });
      await dialog.getByText('合并', { exact: true }).click();
      await dialog.waitFor({ state: 'detached' });

      // The merged result on the card: the roster record stays and now holds the tip's case.
      await card.getByText('已确认是同一儿童，两条记录已合并', { exact: true }).waitFor();
      await card.getByText('理由：核对了学籍和家长电话，是同一个孩子', { exact: true }).waitFor();
      await known.getByText('保留', { exact: true }).waitFor();
      await reported.getByText('已并入', { exact: true }).waitFor();
      await known.getByText('在办案件：待受理 ›', { exact: true }).waitFor();
      await screenshots(page, 'child-reviews-merged', card, { pair: name });
      const merge = await manager().findOneByOrFail(ChildMerge, { survivorId: pupil.id, mergedId: reportedId });
      expect(merge).toMatchObject({ reason: '核对了学籍和家长电话，是同一个孩子', splitAt: null });
      expect(await manager().findOneByOrFail(Child, { id: reportedId })).toMatchObject({ mergedIntoId: pupil.id });
      expect(await manager().findOneByOrFail(DropoutCase, { id: caseId })).toMatchObject({ childId: pupil.id, openChildId: pupil.id });
      expect(await manager().findOneByOrFail(ChildMatchReview, { id: reviewId })).toMatchObject({
        status: 'confirmed',
        decisionNote: '核对了学籍和家长电话，是同一个孩子',
      });
      expect(await manager().countBy(AuditEntry, { action: 'child.review.confirm', targetId: reviewId })).toBe(1);

      // It is in 已确认; 拆分 with a reason puts both records back and the pair moves to 已否定.
      await segment(page, '已确认').click();
      await card.getByText('拆分', { exact: true }).click();
      const split = page.locator('.reason-dialog').filter({ visible: true });
      await split.locator('textarea').fill('家访核实，是同名的两个孩子');
      await split.getByText('拆分', { exact: true }).click();
      await confirmModal(page, '知道了');
      await card.waitFor({ state: 'detached' });
      await segment(page, '已否定').click();
      await card.getByText('已确认不是同一儿童，保留为两个孩子', { exact: true }).waitFor();
      await card.getByText('理由：家访核实，是同名的两个孩子', { exact: true }).waitFor();
      await reported.getByText('在办案件：待受理 ›', { exact: true }).waitFor();
      await known.getByText('没有在办案件', { exact: true }).waitFor();
      await screenshots(page, 'child-reviews-split', card, { pair: name });

      expect(await manager().findOneByOrFail(ChildMerge, { id: merge.id })).toMatchObject({
        splitReason: '家访核实，是同名的两个孩子',
        splitAt: expect.any(Date),
      });
      expect(await manager().findOneByOrFail(Child, { id: reportedId })).toMatchObject({ mergedIntoId: null });
      expect(await manager().findOneByOrFail(DropoutCase, { id: caseId })).toMatchObject({ childId: reportedId, openChildId: reportedId });
      expect(await manager().findOneByOrFail(ChildMatchReview, { id: reviewId })).toMatchObject({ status: 'rejected' });
      expect(await manager().countBy(AuditEntry, { action: 'child.split', targetId: pupil.id })).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('at a desk the pairs are a table: sorted, a row opens the comparison and the decision', async () => {
    const pairs = ['章可欣', '严嘉树'];
    const found = [];
    for (const name of pairs) found.push(await rosterPupilAndTip(name));
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.setViewportSize(PHONE);
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '疑似重复儿童').click());
      await page.setViewportSize(DESKTOP);
      const table = page.locator('table[aria-label="疑似重复儿童"]').filter({ visible: true });
      const rows = table.locator('.data-table-row');
      for (const name of pairs) await rows.filter({ hasText: name }).waitFor();
      expect(await page.locator('.child-review').filter({ visible: true }).count()).toBe(0);
      // both records of a pair in one row
      const row = rows.filter({ hasText: pairs[0]! });
      await row.getByText(CHILD_MATCH_REASONS.neighbouring_village, { exact: true }).waitFor();
      await row.getByText('无学籍', { exact: true }).waitFor();
      await row.getByText('光山县十里镇中心小学 五年级', { exact: true }).waitFor();

      // sorted by the new record's name (column 2), both ways
      const cells = () =>
        table
          .locator('.data-table-row td:nth-child(2)')
          .allInnerTexts()
          .then((texts) => texts.map((text) => text.trim()));
      const before = await cells();
      const byName = table.locator('.data-table-sort').filter({ hasText: '新登记姓名' });
      await byName.click();
      const ascending = await cells();
      expect(ascending).toEqual([...before].sort((a, b) => a.localeCompare(b, 'zh-CN')));
      await byName.click();
      expect(await cells()).toEqual([...ascending].reverse());

      // a row opens the comparison above the table, with its decision
      await row.click();
      const opened = page.locator('.child-review-opened').filter({ visible: true });
      await side(opened, '已有的记录').getByText('学籍：光山县十里镇中心小学 五年级', { exact: true }).waitFor();
      expect(await row.getAttribute('aria-current')).toBe('true');
      await opened.getByText('不是同一儿童', { exact: true }).click();
      const dialog = page.locator('.reason-dialog').filter({ visible: true });
      await dialog.locator('textarea').fill('出生日期和父母姓名都不同');
      await dialog.getByText('确认', { exact: true }).click();
      await opened.getByText('已确认不是同一儿童，保留为两个孩子', { exact: true }).waitFor();
      await row.getByText('不是同一儿童', { exact: true }).waitFor();
      await screenshot(page, 'child-reviews-table-desktop');
      expect(await manager().findOneByOrFail(ChildMatchReview, { id: found[0]!.reviewId })).toMatchObject({ status: 'rejected' });

      // at phone width the same page is the phone cards
      await page.setViewportSize(PHONE);
      await reviewCard(page, pairs[1]!).waitFor();
      expect(await page.locator('.data-table').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('the case shows the merge of its child’s records, and it can be split there', async () => {
    const name = '邵一鸣';
    const { pupil, reportedId, caseId } = await rosterPupilAndTip(name);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.setViewportSize(PHONE);
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '疑似重复儿童').click());
      const card = reviewCard(page, name);
      await card.getByText('是同一儿童（合并）', { exact: true }).click();
      const dialog = page.locator('.reason-dialog').filter({ visible: true });
      await dialog.locator('textarea').fill('学校核对，是同一个孩子');
      await dialog.getByText('合并', { exact: true }).click();
      await card.getByText('已确认是同一儿童，两条记录已合并', { exact: true }).waitFor();

      // From the record that stayed to its case: 记录合并 says what moved, why, who and when.
      await navigate(page, () => side(card, '已有的记录').getByText('在办案件：待受理 ›', { exact: true }).click());
      expect(page.url()).toContain(caseId);
      const merges = page.locator('.child-merges').filter({ visible: true });
      await merges.getByText('邵一鸣的两条记录合并为一条', { exact: true }).waitFor();
      await merges.getByText('理由：学校核对，是同一个孩子', { exact: true }).waitFor();
      await merges.getByText('随之合并：案件 1', { exact: false }).waitFor();
      await merges.getByText(names['county-admin']!, { exact: false }).waitFor();
      await screenshots(page, 'case-child-merges', merges);

      await merges.getByText('拆分', { exact: true }).click();
      const split = page.locator('.reason-dialog').filter({ visible: true });
      await split.locator('textarea').fill('出生日期不同，不是一个孩子');
      await split.getByText('拆分', { exact: true }).click();
      await merges.getByText('已拆分，两条记录已分开', { exact: true }).waitFor();
      await merges.getByText('拆分理由：出生日期不同，不是一个孩子', { exact: true }).waitFor();
      await expect(merges.getByText('拆分', { exact: true }).count()).resolves.toBe(0);
      await screenshots(page, 'case-child-merges-split', merges);

      expect(await manager().findOneByOrFail(Child, { id: reportedId })).toMatchObject({ mergedIntoId: null });
      expect(await manager().findOneByOrFail(DropoutCase, { id: caseId })).toMatchObject({ childId: reportedId });
      expect(await manager().findOneByOrFail(ChildMerge, { survivorId: pupil.id, mergedId: reportedId })).toMatchObject({
        splitReason: '出生日期不同，不是一个孩子',
      });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test('a township leader finds the pairs of the township on the home page and is told when the county decided first', async () => {
    const name = '钱若溪';
    const { reviewId } = await rosterPupilAndTip(name);
    const decidedFirst = '孔思远';
    const other = await rosterPupilAndTip(decidedFirst);
    const { page, context, errors } = await openPhone(browser);
    try {
      await page.setViewportSize(PHONE);
      await signInWithDemoAccount(page, server.baseUrl, names['township-leader']!);
      await navigate(page, () => visibleText(page, '疑似重复儿童').click());
      const card = reviewCard(page, name);
      await card.getByText('不是同一儿童', { exact: true }).click();
      const dialog = page.locator('.reason-dialog').filter({ visible: true });
      await dialog.locator('textarea').fill('父母姓名不同，是两个孩子');
      await dialog.getByText('确认', { exact: true }).click();
      await card.getByText('已确认不是同一儿童，保留为两个孩子', { exact: true }).waitFor();
      await card.getByText(names['township-leader']!, { exact: false }).waitFor();
      expect(await manager().findOneByOrFail(ChildMatchReview, { id: reviewId })).toMatchObject({
        status: 'rejected',
        decisionNote: '父母姓名不同，是两个孩子',
      });

      // The county admin decides the other pair while the leader still has it on screen.
      const admin = await signInAs(server, 'county-admin');
      const first = await admin.post(`/children/reviews/${other.reviewId}/decision`, { decision: 'confirm', reason: '县里已核对' });
      expect(first.status).toBe(200);
      const stale = reviewCard(page, decidedFirst);
      await stale.getByText('是同一儿童（合并）', { exact: true }).click();
      await dialog.locator('textarea').fill('学校核对，是同一个孩子');
      await dialog.getByText('合并', { exact: true }).click();
      await visibleText(page, '这对记录已经确认过了').waitFor();
      await confirmModal(page, '知道了');
      await stale.waitFor({ state: 'detached' });
      expect(await manager().countBy(ChildMerge, { mergedId: other.reportedId })).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
    const cadre = await openPhone(browser);
    try {
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await visibleText(cadre.page, '收件箱').waitFor();
      await expect(visibleText(cadre.page, '疑似重复儿童').count()).resolves.toBe(0);
    } finally {
      await cadre.context.close();
    }
  }, 120_000);
});

/** The card of one pair, by the child's name (each test names its own child). */
function reviewCard(page: Page, name: string): Locator {
  return page.locator('.child-review').filter({ visible: true }).filter({ hasText: name });
}

function side(card: Locator, label: string): Locator {
  return card.locator('.review-side').filter({ hasText: label });
}

function segment(page: Page, label: string): Locator {
  return page.locator('.segment').filter({ visible: true }).getByText(label, { exact: true });
}

/** Taro's H5 showModal: a dialog with the confirm text as its button. */
async function confirmModal(page: Page, confirmText: string): Promise<void> {
  await page.locator('.taro-modal__foot div').filter({ hasText: confirmText }).filter({ visible: true }).click();
}

/**
 * The page as an official sees it on a phone (375×812) and on a computer (1440×900), scrolled to
 * `focus` (Taro's H5 page scrolls inside its own container, so a full-page shot shows one screen).
 * On the review page at a desk the pairs are a table (issue 16): the row of `pair` is clicked, which
 * opens its comparison above the table, and that is the focus.
 */
async function screenshots(
  page: Page,
  name: string,
  focus?: Locator,
  { pair, phoneOnly = false }: { pair?: string; phoneOnly?: boolean } = {},
): Promise<void> {
  const viewports = [
    [DESKTOP, '-desktop'],
    [PHONE, ''],
  ] as const;
  for (const [viewport, suffix] of phoneOnly ? viewports.slice(1) : viewports) {
    // the desktop opens the pair above its table, the phone shows it as a card: the other one goes
    await resize(page, viewport);
    // the success toast has faded (its box is empty, so Playwright's visibility cannot tell)
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.taro__toast')).every((e) => getComputedStyle(e).display === 'none'),
    );
    await settled(page);
    if (pair && viewport === DESKTOP) {
      await page.locator('.data-table-row').filter({ visible: true }).filter({ hasText: pair }).click();
      await page.locator('.child-review-opened').filter({ visible: true }).filter({ hasText: pair }).scrollIntoViewIfNeeded();
    } else {
      await focus?.scrollIntoViewIfNeeded();
    }
    await screenshot(page, `${name}${suffix}`);
  }
}
