import ExcelJS from 'exceljs';
import type { ResponseOf } from '@baoxue/shared';
import type { Browser, Download, Page } from 'playwright-core';
import { DropoutCase } from '../../../server/src/modules/cases/case.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { idNumberFor } from '../../support/pupils';
import { ABSENCE_HEADER, csv, HOUSEHOLD_HEADER, importRegistry, ROSTER_HEADER, xlsx } from '../../support/registry';
import { startTestServer, type TestServer } from '../../support/server';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const WUMING = '411522101203'; // 吴明村, 十里镇
const ZHANGWEIZI = '411522102201'; // 张围孜村, 寨河镇

/** A small county: four pupils in two townships, and the household list that nearly matches them. */
const pupils = {
  xiaohong: {
    name: '王小红',
    sex: '女',
    id: idNumberFor('2015-03-01', false),
    school: '光山县十里镇中心小学',
    grade: '五年级',
    village: WUMING,
  },
  ming: { name: '李明', sex: '男', id: idNumberFor('2013-06-10'), school: '光山县十里镇初级中学', grade: '初一', village: WUMING },
  wei: { name: '张伟', sex: '男', id: idNumberFor('2016-09-02'), school: '光山县寨河镇中心小学', grade: '三年级', village: ZHANGWEIZI },
  jing: {
    name: '陈静',
    sex: '女',
    id: idNumberFor('2012-01-20', false),
    school: '光山县寨河镇初级中学',
    grade: '八年级',
    village: ZHANGWEIZI,
  },
};
type Pupil = (typeof pupils)[keyof typeof pupils];
const rosterRow = (p: Pupil, village = p.village) => [
  `G${p.id}`,
  p.name,
  p.sex,
  p.id,
  p.school,
  p.grade,
  '1班',
  '否',
  village,
  '王建设',
  '父亲',
  '13800138000',
];
/** On no roster: a child out of school (失学). */
const outOfSchool = { name: '刘洋', id: idNumberFor('2014-05-05') };
/** 张伟's name with one character different, same birth date and village, another ID number: a pair to review. */
const nearWei = { name: '张玮', id: idNumberFor('2016-09-02') };

/** The school days (weekdays) before today in China, most recent last. */
function lastSchoolDays(count: number): string[] {
  const days: string[] = [];
  for (let t = Date.now() + 8 * 3_600_000; days.length < count; t -= 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.unshift(day.toISOString().slice(0, 10));
  }
  return days;
}

/**
 * BRIEF §5 on the county console (the H5 build, against a real server): a county admin downloads
 * the roster template, imports a roster and sees it done, is told exactly which row and column of
 * a bad file is wrong, runs 四查三比对 and decides a near match, reads the dropout rates against
 * the targets with their chart, and exports them as Excel.
 */
describe('the H5 console: registries, 四查三比对 and dropout statistics', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let adminApi: ApiClient;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    adminApi = await signInAs(server, 'county-admin');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a county admin imports registries, runs the cross-check, decides a review and exports the statistics', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);

      // 名册导入: the roster template first.
      await navigate(page, () => visibleText(page, '名册导入').click());
      await segment(page, '学籍').click();
      await visibleText(page, '学籍花名册：', false).waitFor();
      const template = await downloaded(page, () => visibleText(page, '下载模板').click());
      expect(template.suggestedFilename()).toBe('学籍花名册导入模板.xlsx');
      const templateSheet = (await readWorkbook(template)).worksheets[0]!;
      // required columns carry ＊, as on every template of the product
      expect(templateSheet.getRow(1).values).toEqual(expect.arrayContaining(['学籍号＊', '姓名＊', '学校＊', '年级＊', '监护人姓名']));

      // A real roster, made with exceljs as an official's spreadsheet would be, imported to the end.
      const roster = await xlsx(
        ROSTER_HEADER,
        Object.values(pupils).map((p) => rosterRow(p)),
      );
      await chooseFile(page, '选择文件导入', 'roster.xlsx', roster);
      const result = resultCard(page);
      await result.getByText('导入完成', { exact: true }).waitFor();
      await result.getByText('共 4 行：新增 4，更新 0，未变 0。', { exact: true }).waitFor();
      await screenshot(page, 'registry-import-done');
      const imports = (await adminApi.get<ResponseOf<'registryImports'>>('/registry/imports')).body.items;
      expect(imports).toEqual([expect.objectContaining({ kind: 'roster', fileName: 'roster.xlsx', status: 'completed', created: 4 })]);

      // A file with one bad row: nothing is imported, and the row and column are named.
      const bad = await xlsx(ROSTER_HEADER, [rosterRow(pupils.xiaohong), rosterRow(pupils.ming, '411522999999')]);
      await chooseFile(page, '选择文件导入', 'roster-bad.xlsx', bad);
      await result.getByText('未导入', { exact: true }).waitFor();
      await result.getByText('发现 1 处问题，文件中的数据都没有导入。请修改后重新导入。', { exact: true }).waitFor();
      await result.getByText('第 3 行（村区划代码）：区划代码 411522999999 不是本县的村', { exact: true }).waitFor();
      await page
        .locator('.import-history')
        .filter({ visible: true })
        .filter({ hasText: 'roster-bad.xlsx' })
        .getByText('1 处问题')
        .waitFor();
      await screenshot(page, 'registry-import-row-error');

      // The household list (户籍), with a child on no roster and a near match of 张伟.
      const household = await xlsx(HOUSEHOLD_HEADER, [
        [pupils.xiaohong.id, pupils.xiaohong.name, WUMING, '王建设', '13800138000'],
        [pupils.ming.id, pupils.ming.name, WUMING, '', ''],
        [outOfSchool.id, outOfSchool.name, WUMING, '刘德', ''],
        [nearWei.id, nearWei.name, ZHANGWEIZI, '', ''],
      ]);
      await segment(page, '户籍').click();
      await chooseFile(page, '选择文件导入', 'household.xlsx', household);
      await result.getByText('共 4 行：新增 4，更新 0，未变 0。', { exact: true }).waitFor();

      // 陈静 has missed the last eight school days: the absence rules open a case (辍学), which the township confirms.
      const absences = await importRegistry(
        server,
        adminApi,
        'absence',
        csv(
          ABSENCE_HEADER,
          lastSchoolDays(8).map((day) => [`G${pupils.jing.id}`, day, '否']),
        ),
        'absence.csv',
      );
      expect(absences.status).toBe('completed');
      const absenceCases = await server.dataSource.manager.findBy(DropoutCase, { source: 'absence' });
      expect(absenceCases).toHaveLength(1);
      await server.dataSource.manager.update(DropoutCase, { id: absenceCases[0]!.id }, { status: 'confirmed', confirmedAt: new Date() });
      await navigate(page, () => page.goBack());

      // 四查三比对: run it and read the results by category.
      await navigate(page, () => visibleText(page, '四查三比对').click());
      await visibleText(page, '还没有运行过比对').waitFor();
      await visibleText(page, '开始比对').click();
      await confirmModal(page, '开始');
      const notEnrolled = category(page, '失学：户籍有、学籍无');
      await notEnrolled.locator('.category-count').getByText('1', { exact: true }).waitFor({ timeout: 30_000 });
      await expect(countOf(page, '户籍适龄儿童')).resolves.toBe('4');
      await expect(countOf(page, '待人工确认')).resolves.toBe('1');
      await category(page, '户籍适龄儿童').getByText('2 人', { exact: true }).waitFor(); // matched by ID number
      // The children found are listed with their ID numbers masked.
      await notEnrolled.getByText('查看名单', { exact: true }).click();
      const found = notEnrolled.locator('.case-card').filter({ hasText: outOfSchool.name });
      await found.getByText(`身份证 ${outOfSchool.id.slice(0, 6)}********${outOfSchool.id.slice(-4)}`, { exact: false }).waitFor();
      await category(page, '辍学：在籍但缺勤达到规则').getByText('查看名单', { exact: true }).click();
      await category(page, '辍学：在籍但缺勤达到规则').locator('.case-card').filter({ hasText: pupils.jing.name }).waitFor();
      const shown = await page.locator('.taro_page').filter({ visible: true }).innerText();
      for (const child of [outOfSchool, nearWei, ...Object.values(pupils)]) expect(shown).not.toContain(child.id);
      await screenshot(page, 'crosscheck-result');

      // The near match: not the same child, so 张玮 becomes a case too.
      await category(page, '待人工确认').getByText('去确认', { exact: true }).click();
      const pair = page.locator('.review-card').filter({ visible: true }).filter({ hasText: nearWei.name });
      await pair.getByText('出生日期和村相同，姓名相差一个字', { exact: true }).waitFor();
      await pair.getByText(pupils.wei.name, { exact: true }).waitFor();
      await pair.getByText('不是同一人', { exact: true }).click();
      await confirmModal(page, '确认');
      await pair.getByText(`已确认不是同一人，已按失学立案（${names['county-admin']}）`, { exact: true }).waitFor();
      await screenshot(page, 'crosscheck-review-decided');
      expect((await adminApi.get<ResponseOf<'crosscheckReviews'>>('/crosscheck/reviews?status=different')).body.items).toHaveLength(1);
      const crossCheckCases = (await adminApi.get<ResponseOf<'casesList'>>('/cases?source=cross_check')).body.items;
      expect(crossCheckCases.map((c) => c.child.name).sort()).toEqual([nearWei.name, outOfSchool.name].sort());
      await navigate(page, () => page.goBack());

      // 辍学统计: one row per township with pupils, coloured against the targets, and the chart.
      await navigate(page, () => visibleText(page, '辍学统计').click());
      const rows = page.locator('.rate-row').filter({ visible: true });
      const shili = rows.filter({ hasText: '十里镇' });
      const zhaihe = rows.filter({ hasText: '寨河镇' });
      await shili.waitFor();
      await expect(rows.count()).resolves.toBe(3); // the header and two townships
      await expect(shili.locator('.rate-cell').nth(0).getAttribute('class')).resolves.toContain('rag-green');
      await expect(zhaihe.locator('.rate-cell').nth(1).getAttribute('class')).resolves.toContain('rag-red');
      await zhaihe.getByText('100.00%', { exact: true }).waitFor();
      await visibleText(page, '光山县 · 2026—2027学年', false).waitFor();
      const chart = page.locator('#dropout-chart canvas').filter({ visible: true });
      await chart.waitFor();
      await page.waitForFunction(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('#dropout-chart canvas');
        const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
        return !!pixels && pixels.some((value, index) => index % 4 === 3 && value > 0);
      });
      const box = (await chart.boundingBox())!;
      expect(box.width).toBeGreaterThan(200);
      expect(box.height).toBeGreaterThan(60);
      await screenshot(page, 'dropout-stats');

      // Export: a real .xlsx with the same rows.
      const exported = await downloaded(page, () => visibleText(page, '导出 Excel').click());
      expect(exported.suggestedFilename()).toBe('辍学率统计-2026学年.xlsx');
      const workbook = await readWorkbook(exported);
      const sheet = workbook.getWorksheet('辍学率')!;
      const units = sheet.getColumn(1).values.filter((value): value is string => typeof value === 'string');
      expect(units).toEqual(['单位', '十里镇', '寨河镇', '光山县（合计）']);
      expect(JSON.stringify(sheet.getRow(3).values)).toContain('100.00%（超标）');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 150_000);

  test('a township official sees the dropout statistics of their township by village', async () => {
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['township-cadre']!);
      await navigate(page, () => visibleText(page, '辍学统计').click());
      await visibleText(page, '光山县 十里镇 · 2026—2027学年', false).waitFor();
      await page.locator('.segment').filter({ visible: true }).getByText('按村', { exact: true }).waitFor();
      const rows = page.locator('.rate-row').filter({ visible: true });
      await rows.filter({ hasText: '吴明村' }).waitFor();
      await expect(rows.filter({ hasText: '寨河' }).count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});

function segment(page: Page, label: string) {
  return page.locator('.segment').filter({ visible: true }).getByText(label, { exact: true });
}

function resultCard(page: Page) {
  return page.locator('.import-result').filter({ visible: true });
}

function category(page: Page, title: string) {
  return page
    .locator('.category')
    .filter({ visible: true })
    .filter({ has: page.getByText(title, { exact: true }) });
}

async function countOf(page: Page, title: string): Promise<string> {
  const text = await category(page, title).locator('.category-count').innerText();
  return text.replace(/人/, '').trim();
}

/** The browser's file dialog, answered with a file made in the test. */
async function chooseFile(page: Page, button: string, name: string, content: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), visibleText(page, button).click()]);
  await chooser.setFiles({ name, mimeType: name.endsWith('.xlsx') ? XLSX_TYPE : 'text/csv', buffer: content });
}

async function downloaded(page: Page, action: () => Promise<unknown>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), action()]);
  return download;
}

async function readWorkbook(download: Download): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile((await download.path())!);
  return workbook;
}

/** Taro's H5 showModal: a dialog with the confirm text as its button. */
async function confirmModal(page: Page, confirmText: string): Promise<void> {
  await page.locator('.taro-modal__foot div').filter({ hasText: confirmText }).filter({ visible: true }).click();
}
