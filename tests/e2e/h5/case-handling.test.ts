import ExcelJS from 'exceljs';
import { schoolDaysUpTo, type CaseDetail, type ResponseOf } from '@baoxue/shared';
import type { Browser, Page } from 'playwright-core';
import { User } from '../../../server/src/modules/accounts/user.entity';
import { DropoutCase } from '../../../server/src/modules/cases/case.entity';
import { DeadlinesService } from '../../../server/src/modules/cases/deadlines.service';
import { Guardianship } from '../../../server/src/modules/children/guardianship.entity';
import { SchoolCalendars } from '../../../server/src/modules/school-calendar/school-calendars';
import { Tip } from '../../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../../support/api';
import { launchChromium, navigate, openPhone, screenshot, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { startTestServer, type TestServer } from '../../support/server';
import { fileTip, raiseTipLimit } from '../../support/tips';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCHOOL = '光山县十里镇中心小学';

/** A calendar day in China (the phones' and the server's zone), `offsetDays` from today. */
function chinaDate(offsetDays: number): string {
  return new Date(Date.now() + 8 * HOUR + offsetDays * DAY).toISOString().slice(0, 10);
}

/**
 * BRIEF §4 in a real browser on the H5 build: a supervisor's tip becomes a case that 十里镇 accepts,
 * verifies and confirms with its causes; the cadre visits the family; the township leader issues a
 * 《限期返校通知书》 that the bound parent reads and acknowledges in the app; the child returns to
 * school, the school records attendance until the 销号 rule holds, the leader closes the case, and
 * the supervisor sees 已复学 and 已销号. Also: two officials editing one case, the county's dispatch
 * list, its rules and the ledger.
 */
describe('the H5 app: a case from suspicion to 销号', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;
  let supervisorApi: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
    // The most a county may allow (the settings form refuses more), plenty for these tests.
    await raiseTipLimit(server.dataSource, undefined, 500);
    supervisorApi = await signInAs(server, 'supervisor');
    schoolId = (await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'school-staff' })).unitSchoolId!;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A tip from the demo supervisor about a child of 吴明村 who went to the demo school; its case. */
  async function tipAbout(name: string, child: Record<string, unknown> = {}): Promise<{ caseId: string; tipId: string }> {
    const tip = await fileTip(supervisorApi, { child: { name, age: 12, grade: 6, lastSchoolId: schoolId, ...child } });
    expect(tip.status).toBe(201);
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.body.tip.id })).caseId!;
    return { caseId, tipId: tip.body.tip.id };
  }

  test('accepted, verified, visited, noticed, acknowledged, returned, attended, 销号 — and the supervisor sees it', async () => {
    const { caseId, tipId } = await tipAbout('刘小雨');
    // The parent is bound to the child (binding in the app is another issue's work).
    const parentUser = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'parent' });
    const record = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseId });
    await server.dataSource.manager.insert(Guardianship, {
      childId: record.childId,
      userId: parentUser.id,
      relation: '母亲',
      createdAt: new Date(),
    });

    const cadre = await openPhone(browser);
    const leader = await openPhone(browser);
    const parent = await openPhone(browser);
    const school = await openPhone(browser);
    const supervisor = await openPhone(browser);
    try {
      // 十里镇's cadre accepts the case as its 包抓干部 and verifies it.
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());
      await openCase(cadre.page, '刘小雨');
      await visibleText(cadre.page, '下一步：受理线索').waitFor();
      await action(cadre.page, '受理并指定包抓干部');
      await cadre.page.locator('.action-panel .btn-primary').filter({ visible: true }).click();
      await status(cadre.page, '已受理');
      await visibleText(cadre.page, '下一步：完成核查').waitFor();

      await action(cadre.page, '开始核查');
      await cadre.page.locator('.start-verification-form textarea').fill('到学校和村里核实');
      await cadre.page.locator('.start-verification-form .btn-primary').click();
      await status(cadre.page, '核查中');

      // Confirmed with two causes; each shows the support it suggests.
      await action(cadre.page, '核查结果：确认辍学');
      const confirmForm = cadre.page.locator('.confirm-form').filter({ visible: true });
      await confirmForm.locator('.btn-primary').click();
      await confirmForm.getByText('请至少选择一项辍学原因', { exact: true }).waitFor();
      await confirmForm.locator('.chip').getByText('学习困难或厌学', { exact: true }).click();
      await confirmForm.locator('.chip').getByText('因贫', { exact: true }).click();
      await confirmForm.getByText('因贫 → 核查资助资格（两免一补、营养改善计划等）').waitFor();
      await screenshot(cadre.page, 'case-confirm-form');
      await confirmForm.locator('.btn-primary').click();
      await status(cadre.page, '确认辍学');
      await visibleText(cadre.page, '下一步：首次家访').waitFor();
      const causes = cadre.page.locator('.causes-card').filter({ visible: true });
      await causes.getByText('建议：安排教师一对一帮扶（师生结对）').waitFor();
      await causes.getByText('建议：核查资助资格（两免一补、营养改善计划等）').waitFor();

      // The home visit: the shared schema's messages first, then the record.
      await action(cadre.page, '登记家访');
      const visitForm = cadre.page.locator('.visit-form').filter({ visible: true });
      expect(await visitForm.locator('.input-visitors input').inputValue()).toBe(names['township-cadre']);
      expect(await visitForm.locator('.input-visited-on input').inputValue()).toBe(chinaDate(0));
      await visitForm.locator('.btn-primary').click();
      await visitForm.getByText('请填写见到的人').waitFor();
      await visitForm.getByText('请填写家庭陈述的原因').waitFor();
      await visitForm.getByText('请选择家访结果').waitFor();
      await visitForm.locator('.input-visitors input').fill('陈丽（包抓干部）、赵敏（班主任）');
      await visitForm.locator('.input-met input').fill('母亲和孩子本人');
      await visitForm.locator('.textarea-stated-reason textarea').fill('孩子说学习跟不上，不想去学校');
      await visitForm.locator('.textarea-commitments textarea').fill('学校安排老师一对一辅导，家长考虑送孩子回校');
      await visitForm.locator('.segment').getByText('拒绝返校', { exact: true }).click();
      await screenshot(cadre.page, 'case-visit-form');
      await visitForm.locator('.btn-primary').click();
      await status(cadre.page, '劝返中');
      const visits = cadre.page.locator('.visits-card').filter({ visible: true });
      await visits.getByText('家访劝返记录（1）').waitFor();
      await visits.getByText('孩子说学习跟不上，不想去学校').waitFor();
      await visitText(visits, '拒绝返校');
      await visibleText(cadre.page, '下一步：发出《限期返校通知书》').waitFor();
      await screenshot(cadre.page, 'case-visited');

      // Only the township leader escalates: the cadre is not offered it.
      expect(await cadre.page.locator('.case-actions').filter({ visible: true }).getByText('升级处理', { exact: true }).count()).toBe(0);

      // The township leader issues the written notice, with a deadline.
      await signInWithDemoAccount(leader.page, server.baseUrl, names['township-leader']!);
      await visibleText(leader.page, '一日一调度').waitFor();
      await navigate(leader.page, () => visibleText(leader.page, '收件箱').click());
      await openCase(leader.page, '刘小雨');
      await action(leader.page, '升级处理');
      const escalate = leader.page.locator('.escalate-form').filter({ visible: true });
      await escalate.getByText('下一步：发出《限期返校通知书》').waitFor();
      const deadline = chinaDate(7);
      await escalate.locator('.input-deadline input').fill(deadline);
      await escalate.locator('textarea').fill('两次家访，家长仍不送孩子返校');
      await escalate.locator('.btn-primary').click();
      await status(leader.page, '升级处理');
      const notice = leader.page.locator('.notice-item').filter({ visible: true });
      await notice.getByText('小程序送达', { exact: true }).waitFor();
      await notice.getByText('待回执', { exact: true }).waitFor();
      await notice.getByText(`限 ${deadline} 前返校`, { exact: false }).waitFor();
      await visibleText(leader.page, '下一步：通知书限期返校').waitFor();
      await screenshot(leader.page, 'case-notice-issued');

      // The bound parent reads it in the app and acknowledges it.
      await signInWithDemoAccount(parent.page, server.baseUrl, names.parent!);
      await navigate(parent.page, () => visibleText(parent.page, '正式通知（1 份待回执）').click());
      const formal = parent.page.locator('.formal-notice').filter({ visible: true });
      await formal.getByText('关于刘小雨的限期返校通知书').waitFor();
      expect(await formal.locator('.notice-text').innerText()).toContain('第五十八条');
      await screenshot(parent.page, 'parent-notice');
      await formal.locator('.btn-primary').getByText('确认收到（回执）').click();
      await formal.getByText('已回执', { exact: true }).waitFor();
      await formal.getByText(/^您已于 .+ 确认收到本通知。$/).waitFor();
      await screenshot(parent.page, 'parent-notice-acknowledged');
      // Acknowledged stays acknowledged.
      await parent.page.reload();
      await parent.page.locator('.formal-notice').filter({ visible: true }).getByText('已回执', { exact: true }).waitFor();

      // The leader sees the receipt on the case.
      await leader.page.reload();
      await caseHeading(leader.page, '刘小雨').waitFor();
      await leader.page.locator('.notice-item').filter({ visible: true }).getByText('已回执', { exact: true }).waitFor();
      await visibleText(leader.page, '监护人已确认收到《限期返校通知书》').waitFor();

      // The child is back: the cadre records the return, school, grade and placement.
      await cadre.page.reload();
      await caseHeading(cadre.page, '刘小雨').waitFor();
      await action(cadre.page, '登记返校');
      const returnForm = cadre.page.locator('.return-form').filter({ visible: true });
      await returnForm.getByText('建议编入六年级', { exact: false }).waitFor();
      await returnForm.locator('.segment-active').getByText('六年级', { exact: true }).waitFor();
      // the case's school comes preset, and the picker offers 十里镇's schools only
      await returnForm.getByText(`${SCHOOL}（十里镇）`).waitFor();
      await returnForm.locator('.picker-option').first().waitFor();
      const townships = await returnForm.locator('.picker-option-level').allInnerTexts();
      expect(townships.length).toBeGreaterThan(0);
      expect(townships.filter((t) => !t.startsWith('十里镇'))).toEqual([]);
      await returnForm.locator('input[placeholder="搜索学校名称"]').fill('十里镇中心小学');
      await returnForm.locator('.picker-option').filter({ hasText: SCHOOL }).first().click();
      await returnForm.getByText(`${SCHOOL}（十里镇）`).waitFor();
      // attendance counts the county's school days: the return was 25 school days ago
      const calendar = await server.app.get(SchoolCalendars).of(server.dataSource.manager, '411522000000');
      const schoolDays = schoolDaysUpTo(chinaDate(0), 25, calendar);
      const returnedOn = schoolDays[0]!;
      await returnForm.locator('.input-returned-on input').fill(returnedOn);
      await returnForm.locator('.segment').getByText('随班就读', { exact: true }).click();
      await screenshot(cadre.page, 'case-return-form');
      await returnForm.locator('.btn-primary').click();
      await status(cadre.page, '已返校');
      const returnCard = cadre.page.locator('.return-card').filter({ visible: true });
      await returnCard.getByText('随班就读', { exact: true }).waitFor();
      await returnCard.getByText(returnedOn, { exact: true }).waitFor();
      await returnCard.getByText('尚未满足销号条件').waitFor();

      // The school records attendance: most days through the API, one in the app.
      const staffApi = await signInAs(server, 'school-staff');
      const days = schoolDays.slice(0, 19).map((day) => ({ day, present: true, excused: false }));
      expect((await staffApi.post(`/cases/${caseId}/attendance`, { days })).status).toBe(200);
      await signInWithDemoAccount(school.page, server.baseUrl, names['school-staff']!);
      await navigate(school.page, () => visibleText(school.page, '收件箱').click());
      await openCase(school.page, '刘小雨');
      const attendance = school.page.locator('.return-card').filter({ visible: true });
      await attendance.getByText('返校后前30个上学日出勤19天').waitFor();
      await attendance.getByText('销号条件：至少出勤20天（已有记录的上学日19天）').waitFor();
      const attendanceForm = attendance.locator('.attendance-form');
      await attendanceForm.locator('.input-attendance-day input').fill(schoolDays[20]!);
      await attendanceForm.locator('.segment').getByText('到校', { exact: true }).click();
      await attendanceForm.locator('.btn-primary').click();
      await attendance.getByText('返校后前30个上学日出勤20天').waitFor();
      await attendance.getByText('已满足销号条件').waitFor();
      await screenshot(school.page, 'case-attendance');
      // The school may not close the case: only the township leader or the county.
      expect(await school.page.locator('.case-actions').filter({ visible: true }).getByText('销号', { exact: true }).count()).toBe(0);

      // The leader closes it (销号).
      await leader.page.reload();
      await caseHeading(leader.page, '刘小雨').waitFor();
      await action(leader.page, '销号');
      const closeForm = leader.page.locator('.close-form').filter({ visible: true });
      await closeForm.getByText('返校后前30个上学日出勤20天（要求至少20天），已满足销号条件。').waitFor();
      await closeForm.locator('.btn-primary').click();
      await status(leader.page, '已销号');
      await visibleText(leader.page, '已销号，按本县规定定期复查是否在校').waitFor();
      await leader.page.locator('.timeline-title').filter({ visible: true }).getByText('销号', { exact: true }).waitFor();
      await screenshot(leader.page, 'case-closed');

      // The supervisor who sent the tip sees 已复学 and 已销号, and nothing of the family.
      await signInWithDemoAccount(supervisor.page, server.baseUrl, names.supervisor!);
      await navigate(supervisor.page, () => visibleText(supervisor.page, '我的线索', false).first().click());
      await navigate(supervisor.page, () =>
        supervisor.page.locator('.tip-row').filter({ visible: true }).filter({ hasText: '刘小雨' }).click(),
      );
      expect(supervisor.page.url()).toContain(`id=${tipId}`);
      const done = supervisor.page.locator('.timeline-item-done').filter({ visible: true });
      await done.filter({ hasText: '已复学' }).waitFor();
      await done.filter({ hasText: '已销号' }).waitFor();
      expect(await done.count()).toBe(5);
      const tipPage = await supervisor.page.locator('.tip-page').filter({ visible: true }).innerText();
      expect(tipPage).not.toContain('孩子说学习跟不上');
      expect(tipPage).not.toContain('随班就读');
      await screenshot(supervisor.page, 'supervisor-tip-closed');

      const final = (await (await signInAs(server, 'township-leader')).get<CaseDetail>(`/cases/${caseId}`)).body;
      expect(final).toMatchObject({ status: 'closed', returned: { placement: 'regular_class', grade: 6, schoolName: SCHOOL } });
      expect(final.visits).toHaveLength(1);
      expect(final.notices[0]!.acknowledgedAt).not.toBeNull();
      expect([...cadre.errors, ...leader.errors, ...parent.errors, ...school.errors, ...supervisor.errors]).toEqual([]);
    } finally {
      await Promise.all([cadre, leader, parent, school, supervisor].map((phone) => phone.context.close()));
    }
  }, 240_000);

  test('更换包抓干部 once a cadre is named; a return without a school asks for one', async () => {
    // no school known: the return form cannot preset one
    const { caseId } = await tipAbout('马无校', { lastSchoolId: null });
    const cadreApi = await signInAs(server, 'township-cadre');
    const leader = await openPhone(browser);
    const cadre = await openPhone(browser);
    try {
      await signInWithDemoAccount(leader.page, server.baseUrl, names['township-leader']!);
      await navigate(leader.page, () => visibleText(leader.page, '收件箱').click());
      await openCase(leader.page, '马无校');
      await leader.page.locator('.case-actions .btn').filter({ visible: true }).getByText('受理并指定包抓干部', { exact: true }).waitFor();
      expect(await leader.page.locator('.case-actions').filter({ visible: true }).innerText()).not.toContain('更换包抓干部');

      expect((await cadreApi.post(`/cases/${caseId}/accept`, {})).status).toBe(200);
      for (const body of [{ transition: 'start_verification' }, { transition: 'confirm', causes: ['learning_difficulty'] }]) {
        const version = (await cadreApi.get<CaseDetail>(`/cases/${caseId}`)).body.version;
        expect((await cadreApi.post(`/cases/${caseId}/transitions`, { version, ...body })).status).toBe(200);
      }
      await leader.page.reload();
      await caseHeading(leader.page, '马无校').waitFor();
      await action(leader.page, '更换包抓干部');

      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());
      await openCase(cadre.page, '马无校');
      await action(cadre.page, '登记返校');
      const returnForm = cadre.page.locator('.return-form').filter({ visible: true });
      await returnForm.locator('.picker-current-value').getByText('未选择', { exact: true }).waitFor();
      await returnForm.locator('.btn-primary').click();
      await returnForm.getByText('请选择返校学校', { exact: true }).waitFor();
      expect(await returnForm.innerText()).not.toContain('编号格式不正确');
      await screenshot(cadre.page, 'case-return-no-school');
      expect([...leader.errors, ...cadre.errors]).toEqual([]);
    } finally {
      await Promise.all([leader, cadre].map((phone) => phone.context.close()));
    }
  }, 120_000);

  test('two officials edit one case: the later one is told, sees the latest state, and can try again', async () => {
    const { caseId } = await tipAbout('郑小兵');
    const cadreApi = await signInAs(server, 'township-cadre');
    await cadreApi.post(`/cases/${caseId}/accept`, {});
    await transition(cadreApi, caseId, { transition: 'start_verification' });
    await transition(cadreApi, caseId, { transition: 'confirm', causes: ['learning_difficulty'] });

    const cadre = await openPhone(browser);
    const leader = await openPhone(browser);
    try {
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());
      await openCase(cadre.page, '郑小兵');
      await signInWithDemoAccount(leader.page, server.baseUrl, names['township-leader']!);
      await navigate(leader.page, () => visibleText(leader.page, '收件箱').click());
      await openCase(leader.page, '郑小兵');

      // The cadre starts writing up a visit while the leader adds a cause.
      await action(cadre.page, '登记家访');
      const visitForm = cadre.page.locator('.visit-form').filter({ visible: true });
      await visitForm.locator('.input-met input').fill('父亲');
      await visitForm.locator('.textarea-stated-reason textarea').fill('家里缺劳力，让孩子在家干活');
      await visitForm.locator('.segment').getByText('答应考虑', { exact: true }).click();

      const leaderCauses = leader.page.locator('.causes-card').filter({ visible: true });
      await leaderCauses.locator('.link').getByText('修改', { exact: true }).click();
      await leaderCauses.locator('.chip').getByText('因贫', { exact: true }).click();
      await leaderCauses.locator('.btn-primary').getByText('保存原因').click();
      await leaderCauses.getByText('建议：核查资助资格（两免一补、营养改善计划等）').waitFor();

      // The cadre's page still shows the old version: the server refuses, the page shows why and the latest case.
      await visitForm.locator('.btn-primary').click();
      const message = '案件已被他人修改，以下是最新情况，请确认后重试';
      await cadre.page.locator('.conflict-notice').filter({ visible: true }).getByText(message).waitFor();
      await visitForm.locator('.form-error').getByText(message).waitFor();
      await cadre.page.locator('.causes-card').filter({ visible: true }).getByText('因贫', { exact: true }).waitFor();
      expect(await visitForm.locator('.input-met input').inputValue()).toBe('父亲');
      await screenshot(cadre.page, 'case-conflict');

      // Sent again on the latest version, it goes through.
      await visitForm.locator('.btn-primary').click();
      await cadre.page.locator('.visits-card').filter({ visible: true }).getByText('家访劝返记录（1）').waitFor();
      expect(await cadre.page.locator('.conflict-notice').filter({ visible: true }).count()).toBe(0);
      await status(cadre.page, '劝返中');

      const detail = (await cadreApi.get<CaseDetail>(`/cases/${caseId}`)).body;
      expect(detail.causes.map((cause) => cause.cause)).toEqual(['learning_difficulty', 'poverty']);
      expect(detail.visits.map((visit) => visit.statedReason)).toEqual(['家里缺劳力，让孩子在家干活']);
      expect([...cadre.errors, ...leader.errors]).toEqual([]);
    } finally {
      await Promise.all([cadre.context.close(), leader.context.close()]);
    }
  }, 120_000);

  test('the inbox filters by status, overdue and cause; the county sees the overdue case on its dispatch list', async () => {
    const { caseId } = await tipAbout('孙小北');
    // another case of the township, which a search by 孙小北's number leaves out
    await tipAbout('钱小东');
    // Its acceptance was due a day ago: the deadline run raises it to the township leader.
    await server.dataSource.manager.update(DropoutCase, { id: caseId }, { dueAt: new Date(Date.now() - 30 * HOUR) });
    await server.app.get(DeadlinesService).run();

    const cadre = await openPhone(browser);
    const admin = await openPhone(browser);
    try {
      await signInWithDemoAccount(cadre.page, server.baseUrl, names['township-cadre']!);
      await navigate(cadre.page, () => visibleText(cadre.page, '收件箱').click());
      const overdueCard = cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '孙小北' });
      await overdueCard.getByText('已超期', { exact: true }).waitFor();
      await overdueCard.getByText('逾期已升级到乡镇负责人督办').waitFor();
      // the card names the case by its number (案件编号), not an id
      const { caseNumber } = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: caseId });
      expect(caseNumber).toMatch(/^光山-\d{4}-\d{6}$/);
      await overdueCard.getByText(`案件编号 ${caseNumber}`, { exact: true }).waitFor();

      await filterInbox(cadre.page, async (panel) => {
        await panel.locator('.segment').getByText('只看超期', { exact: true }).click();
      });
      await visibleText(cadre.page, '筛选：只看超期').waitFor();
      await overdueCard.waitFor();
      expect(await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '刘小雨' }).count()).toBe(0);
      await screenshot(cadre.page, 'inbox-overdue-filter');
      // the search box finds a case by its number too
      const search = cadre.page.locator('input[placeholder="按孩子姓名或案件编号查找"]').filter({ visible: true });
      await filterInbox(cadre.page, async (panel) => {
        await panel.locator('.btn-plain').getByText('清除', { exact: true }).click();
      });
      const another = cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '钱小东' });
      await another.waitFor();
      await search.fill(caseNumber);
      await another.waitFor({ state: 'detached' });
      await overdueCard.waitFor();
      expect(await cadre.page.locator('.case-card').filter({ visible: true }).count()).toBe(1);
      await search.fill('');

      await filterInbox(cadre.page, async (panel) => {
        await panel.locator('.btn-plain').getByText('清除', { exact: true }).click();
        await panel.locator('.chip').getByText('因贫', { exact: true }).click();
      });
      await visibleText(cadre.page, '筛选：因贫').waitFor();
      // the filtered list replaces the whole list: wait for the card it leaves out, not for one it keeps
      await overdueCard.waitFor({ state: 'detached' });
      await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '郑小兵' }).waitFor();

      await filterInbox(cadre.page, async (panel) => {
        await panel.locator('.btn-plain').getByText('清除', { exact: true }).click();
        await panel.locator('.segment').getByText('已销号', { exact: true }).click();
      });
      await visibleText(cadre.page, '筛选：已销号').waitFor();
      await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '郑小兵' }).waitFor({ state: 'detached' });
      await cadre.page.locator('.case-card').filter({ visible: true }).filter({ hasText: '刘小雨' }).waitFor();
      expect(await cadre.page.locator('.case-card').filter({ visible: true }).count()).toBe(1);

      // 一日一调度: overdue by township, with the owner and how late it is.
      await signInWithDemoAccount(admin.page, server.baseUrl, names['county-admin']!);
      await navigate(admin.page, () => visibleText(admin.page, '一日一调度').click());
      await visibleText(admin.page, '十里镇：逾期 1 件').waitFor();
      const item = admin.page.locator('.dispatch-item').filter({ visible: true }).filter({ hasText: '孙小北' });
      await item.getByText('超期 1天6小时', { exact: true }).waitFor();
      await item.getByText('逾期事项：受理线索').waitFor();
      await item.getByText('负责人：尚未指定包抓干部').waitFor();
      await item.getByText('已升级到乡镇负责人督办').waitFor();
      await screenshot(admin.page, 'county-dispatch');
      await navigate(admin.page, () => item.click());
      await caseHeading(admin.page, '孙小北').waitFor();
      await visibleText(admin.page, caseNumber).waitFor();
      await visibleText(admin.page, '逾期未办，已升级到乡镇负责人督办').waitFor();
      await visibleText(admin.page, '下一步：受理线索').waitFor();
      expect([...cadre.errors, ...admin.errors]).toEqual([]);
    } finally {
      await Promise.all([cadre.context.close(), admin.context.close()]);
    }
  }, 120_000);

  test('the county sets its rules with the shared checks, and exports the ledger with full ID numbers', async () => {
    const adminApi = await signInAs(server, 'county-admin');
    const before = (await adminApi.get<ResponseOf<'countySettingsGet'>>('/county/settings')).body;
    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await navigate(page, () => visibleText(page, '时限与规则').click());
      const acknowledge = page.locator('.input-acknowledgeHours input').filter({ visible: true });
      expect(await acknowledge.inputValue()).toBe(String(before.acknowledgeHours));
      await acknowledge.fill('0');
      await page.locator('.input-closeMinPresentDays input').fill('40');
      await visibleText(page, '保存').click();
      await visibleText(page, '受理时限（小时）至少为1').waitFor();
      await visibleText(page, '销号所需出勤天数不能超过观察期').waitFor();
      await screenshot(page, 'county-settings-errors');
      expect((await adminApi.get<ResponseOf<'countySettingsGet'>>('/county/settings')).body).toEqual(before);

      await acknowledge.fill('12');
      await page.locator('.input-closeMinPresentDays input').fill('20');
      await page.locator('.input-recheck-2 input').fill('180');
      await visibleText(page, '保存').click();
      await expectSettings(adminApi, { acknowledgeHours: 12, recheckDays: [30, 90, 180] });
      await navigate(page, () => page.goBack());

      // The ledger: a download of every case, full ID numbers only when asked with a reason (audited).
      await navigate(page, () => visibleText(page, '导出台账').click());
      await page.locator('.reveal-ids').filter({ visible: true }).click();
      await page.locator('.reveal-ids .checkbox-checked').filter({ visible: true }).waitFor();
      await screenshot(page, 'county-ledger');
      await visibleText(page, '导出台账').last().click();
      const reason = page.locator('.reason-dialog').filter({ visible: true });
      await reason.getByText('导出', { exact: true }).click();
      await reason.getByText('导出理由至少5个字', { exact: true }).waitFor();
      await reason.locator('textarea').fill('与县公安局核对户籍信息');
      const [download] = await Promise.all([page.waitForEvent('download'), reason.getByText('导出', { exact: true }).click()]);
      expect(download.suggestedFilename()).toMatch(/^控辍保学台账-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile((await download.path())!);
      const text = JSON.stringify(workbook.worksheets.map((sheet) => sheet.getSheetValues()));
      for (const child of ['刘小雨', '郑小兵', '孙小北']) expect(text).toContain(child);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await adminApi.request('PUT', '/county/settings', before);
    }
  }, 90_000);

  async function transition(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<void> {
    const { version } = (await client.get<CaseDetail>(`/cases/${caseId}`)).body;
    const response = await client.post(`/cases/${caseId}/transitions`, { version, ...body });
    expect(response.status).toBe(200);
  }
});

async function openCase(page: Page, childName: string): Promise<void> {
  await navigate(page, () => page.locator('.case-card').filter({ visible: true }).filter({ hasText: childName }).first().click());
  await caseHeading(page, childName).waitFor();
}

function caseHeading(page: Page, childName: string) {
  return page.locator('.case-child-name').filter({ visible: true }).getByText(childName, { exact: true });
}

/** Opens an action's form from the 办理 card. */
async function action(page: Page, label: string): Promise<void> {
  await page.locator('.case-actions .btn').filter({ visible: true }).getByText(label, { exact: true }).click();
}

async function status(page: Page, label: string): Promise<void> {
  await page.locator('.case-head .tag').filter({ visible: true }).getByText(label, { exact: true }).waitFor();
}

async function visitText(visits: ReturnType<Page['locator']>, outcome: string): Promise<void> {
  await visits.locator('.tag').getByText(outcome, { exact: true }).waitFor();
}

async function filterInbox(page: Page, choose: (panel: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  await page.locator('.filter-bar .btn').filter({ visible: true }).click();
  const panel = page.locator('.filter-panel').filter({ visible: true });
  await choose(panel);
  await panel.locator('.btn-primary').getByText('应用筛选').click();
  await panel.waitFor({ state: 'detached' });
}

async function expectSettings(client: ApiClient, expected: Record<string, unknown>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const current = (await client.get<Record<string, unknown>>('/county/settings')).body;
    if (Object.entries(expected).every(([key, value]) => JSON.stringify(current[key]) === JSON.stringify(value))) return;
    if (Date.now() > deadline) throw new Error(`settings are ${JSON.stringify(current)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
