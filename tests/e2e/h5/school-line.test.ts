import { addDays, GRADE_LABELS, type ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, resize, screenshot, settled, visibleText } from '../../support/browser';
import { clientFor, createUser } from '../../support/factories';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, DEMO_COUNTY, demoUser } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';

const HOUR = 3_600_000;
const GRADE = 5;
const CLASS = '9班';
const LABEL = `${GRADE_LABELS[GRADE]}${CLASS}`;
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const GIVEN = ['子涵', '浩然', '雨桐', '一诺', '梓轩'];
/** 50 pupils, each name once: 王子涵 … 周梓轩. */
const PUPILS = SURNAMES.flatMap((surname) => GIVEN.map((given) => `${surname}${given}`));
const ABSENT = ['李浩然', '陈雨桐', '周一诺'];
const ON_LEAVE = '吴梓轩';
const BINDING_CODE = 'QJ2026AB';
const LEAVE_REASON = '发烧38.5度，医生建议在家休息一天';

function chinaToday(): string {
  return new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
}

/**
 * BRIEF §4a in a real browser on the H5 build: a 班主任 takes the roll call of a class of 50 with
 * three absent in at most 10 taps from the school's home (one reason changed to 病假), sees it taken;
 * a parent asks for leave for her child in the same class, the 班主任 approves it on the leave page,
 * and the parent sees 已批准.
 */
describe('the H5 app: the school line — roll call and leave', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let staffApi: ApiClient;
  let parentApi: ApiClient;
  const sheetOf = (day: string) =>
    staffApi.get<ResponseOf<'rollCallsSheet'>>(`/roll-calls/sheet?grade=${GRADE}&className=${encodeURIComponent(CLASS)}&day=${day}`);

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    const staff = await demoUser(server.dataSource, 'school-staff');
    const schoolId = staff.unitSchoolId!;
    for (const name of PUPILS) {
      await createPupil(server.dataSource, {
        name,
        schoolId,
        grade: GRADE,
        className: CLASS,
        birthDate: '2015-05-01',
        bindingCode: name === ON_LEAVE ? BINDING_CODE : undefined,
      });
    }
    // The school's leader names 赵敏 the class's 班主任.
    const leader = await createUser(server.dataSource, {
      role: 'official',
      position: 'leader',
      unitSchoolId: schoolId,
      countyCode: DEMO_COUNTY,
      displayName: '黄振华',
    });
    const leaderApi = await clientFor(server, leader);
    const assigned = await leaderApi.request('PUT', '/classes/teachers', { grade: GRADE, className: CLASS, userIds: [staff.id] });
    expect(assigned.status).toBe(200);
    [staffApi, parentApi] = await Promise.all(['school-staff', 'parent'].map((account) => signInAs(server, account)));
    const bound = await parentApi.post('/children/bind', { bindingCode: BINDING_CODE, childName: ON_LEAVE, relation: 'mother' });
    expect(bound.status).toBeLessThan(300);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a 班主任 takes the roll call of 50 in at most 10 taps; a parent’s leave is approved on the leave page', async () => {
    // The latest day a roll call may be taken (today, unless today has no school), and the next school day for leave.
    const today = chinaToday();
    let rollDay: string | null = null;
    for (let back = 0; back <= 7 && !rollDay; back++)
      if ((await sheetOf(addDays(today, -back))).body.editable) rollDay = addDays(today, -back);
    let leaveDay: string | null = null;
    for (let ahead = 0; ahead <= 20 && !leaveDay; ahead++)
      if ((await sheetOf(addDays(today, ahead))).body.schoolDay) leaveDay = addDays(today, ahead);
    expect(rollDay).not.toBeNull();
    expect(leaveDay).not.toBeNull();

    const staff = await openPhone(browser);
    const parent = await openPhone(browser);
    try {
      // ── The roll call ───────────────────────────────────────────────────────────────────────
      await signInWithDemoAccount(staff.page, server.baseUrl, names['school-staff']!);
      await navigate(staff.page, () => visibleText(staff.page, '学校工作台 · 点名').click());
      const card = staff.page.locator('.class-card').filter({ visible: true }).filter({ hasText: LABEL });
      await card.getByText('今天还未点名').or(card.getByText('今天不点名')).first().waitFor();
      await screenshot(staff.page, 'school-home');

      let taps = 0;
      const tap = async (action: () => Promise<unknown>) => {
        taps += 1;
        await action();
      };
      if (rollDay === today) {
        await tap(() => navigate(staff.page, () => card.getByText('点名', { exact: true }).click()));
      } else {
        // Today has no school: the week grid leads to the last school day (taps not counted: not the daily path).
        await navigate(staff.page, () => card.getByText('本周考勤').click());
        const head = staff.page.locator('.week-head .week-cell').filter({ visible: true });
        const [, month, date] = rollDay!.split('-').map(Number);
        await head.first().waitFor();
        if ((await head.filter({ hasText: `${month}/${date}` }).count()) === 0) await visibleText(staff.page, '‹ 上一周').click();
        await navigate(staff.page, () => head.filter({ hasText: `${month}/${date}` }).click());
      }
      const summary = staff.page.locator('.roll-summary').filter({ visible: true });
      await summary.getByText('50', { exact: true }).first().waitFor();
      const row = (name: string) => staff.page.locator('.pupil-row').filter({ visible: true }).filter({ hasText: name });
      for (const name of ABSENT) await tap(() => row(name).locator('.pupil-main').click());
      await tap(() => row(ABSENT[1]!).locator('.chip').getByText('病假', { exact: true }).click());
      await row(ABSENT[0]!).locator('.pupil-mark').getByText('无故缺勤').waitFor();
      await row(ABSENT[1]!).locator('.pupil-mark').getByText('病假').waitFor();
      await summary.getByText('47', { exact: true }).waitFor();
      await tap(() => visibleText(staff.page, '提交点名（缺勤 3 人）').click());
      await visibleText(staff.page, /^已于 \d\d:\d\d 点名/, false).waitFor();
      expect(taps).toBeLessThanOrEqual(10);

      const sheet = (await sheetOf(rollDay!)).body;
      expect(sheet.rollCall).toMatchObject({ pupils: 50, absent: 3, day: rollDay });
      const marks = Object.fromEntries(sheet.pupils.filter((p) => p.mark).map((p) => [p.name, p.mark]));
      expect(marks).toEqual({ [ABSENT[0]!]: 'unexcused', [ABSENT[1]!]: 'sick', [ABSENT[2]!]: 'unexcused' });

      await resize(staff.page, { width: 375, height: 812 });
      await screenshot(staff.page, 'school-roll-call-375');
      await resize(staff.page, { width: 1440, height: 900 });
      await screenshot(staff.page, 'school-roll-call-1440');
      await resize(staff.page, { width: 390, height: 844 });

      await navigate(staff.page, () => staff.page.goBack());
      // (through the week grid when today has no school)
      if (rollDay !== today) await navigate(staff.page, () => staff.page.goBack());
      if (rollDay === today) await card.getByText(/^已点名 \d\d:\d\d · 缺勤 3 人$/).waitFor();

      // ── The parent asks for leave ───────────────────────────────────────────────────────────
      await signInWithDemoAccount(parent.page, server.baseUrl, names.parent!);
      await navigate(parent.page, () => visibleText(parent.page, '请假').click());
      await navigate(parent.page, () => visibleText(parent.page, `为${ON_LEAVE}请假`).click());
      await fillDate(parent.page, '.input-leave-from', leaveDay!);
      await fillDate(parent.page, '.input-leave-to', leaveDay!);
      await parent.page.locator('.textarea-leave-reason textarea').filter({ visible: true }).fill(LEAVE_REASON);
      await navigate(parent.page, () => visibleText(parent.page, '提交请假').click());
      const asked = parent.page.locator('.list-item').filter({ visible: true }).filter({ hasText: LEAVE_REASON });
      await asked.getByText('待审批', { exact: true }).waitFor();

      // ── The 班主任 approves it ──────────────────────────────────────────────────────────────
      // The 班主任 is back on the school's home, loaded before the request: the leave page loads afresh.
      await navigate(staff.page, () => staff.page.locator('.menu-row').filter({ visible: true }).filter({ hasText: '请假审批' }).click());
      const request = staff.page.locator('.leave-item').filter({ visible: true }).filter({ hasText: ON_LEAVE });
      await request.getByText(LEAVE_REASON).waitFor();
      await request.getByText(`${LABEL} · 病假`).waitFor();
      await request.getByText(/共 1 个上学日/).waitFor();
      await screenshot(staff.page, 'school-leave-pending');
      await request.getByText('批准', { exact: true }).click();
      await staff.page.locator('.taro-modal__foot div').filter({ hasText: '批准' }).filter({ visible: true }).click();
      // It leaves the pending list (the demo school may have other requests waiting).
      await request.waitFor({ state: 'detached' });
      await staff.page.locator('.segment').filter({ visible: true }).getByText('已批准', { exact: true }).click();
      await staff.page
        .locator('.leave-item')
        .filter({ visible: true })
        .filter({ hasText: ON_LEAVE })
        .getByText('已批准', { exact: true })
        .waitFor();

      // ── The parent sees it approved ─────────────────────────────────────────────────────────
      await navigate(parent.page, () => parent.page.goBack());
      await navigate(parent.page, () => visibleText(parent.page, '请假').click());
      await asked.getByText('已批准', { exact: true }).waitFor();
      await screenshot(parent.page, 'parent-leave-approved');
      expect(staff.errors).toEqual([]);
      expect(parent.errors).toEqual([]);
    } finally {
      await staff.context.close();
      await parent.context.close();
    }
  }, 180_000);
});

/** The browser's date input under a DateField (H5). */
async function fillDate(page: Page, className: string, day: string): Promise<void> {
  await page.locator(`${className} input`).filter({ visible: true }).fill(day);
  await settled(page);
}
