import { addDays, GRADE_LABELS } from '@baoxue/shared';
import type { AuthOptions, ResponseOf } from '@baoxue/shared';
import { api, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { createPupil, DEMO_COUNTY, demoUser } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { startWeapp, type WeappEnvironment } from '../support/weapp';

const GRADE = 4;
const CLASS = '6班';
const LABEL = `${GRADE_LABELS[GRADE]}${CLASS}`;
const PUPILS = ['孙一鸣', '钱小雨', '郑可欣', '冯子豪', '何思琪'];

/**
 * The roll call in the WeChat build itself (WeChat's template compiler and component framework)
 * against a real server: a 班主任's home leads to the school's pages, the class sheet renders with
 * everyone present, taps mark two absent (one 病假), and one submit stores the roll call.
 */
describe('the weapp build: a 班主任’s roll call', () => {
  let server: TestServer;
  let weapp: WeappEnvironment;
  let staffApi: ApiClient;
  let day: string;
  const ROLL_CALL = 'packages/school/pages/roll-call/index';
  const posts = () => weapp.requests.filter((url) => new URL(url).pathname === '/api/roll-calls');
  const sheetOf = (on: string) =>
    staffApi.get<ResponseOf<'rollCallsSheet'>>(`/roll-calls/sheet?grade=${GRADE}&className=${encodeURIComponent(CLASS)}&day=${on}`);

  beforeAll(async () => {
    server = await startTestServer({ database: 'sqlite', mode: 'demo' });
    const staff = await demoUser(server.dataSource, 'school-staff');
    for (const name of PUPILS) await createPupil(server.dataSource, { name, schoolId: staff.unitSchoolId, grade: GRADE, className: CLASS });
    const leader = await createUser(server.dataSource, {
      role: 'official',
      position: 'leader',
      unitSchoolId: staff.unitSchoolId,
      countyCode: DEMO_COUNTY,
      displayName: '黄振华',
    });
    const assigned = await (
      await clientFor(server, leader)
    ).request('PUT', '/classes/teachers', {
      grade: GRADE,
      className: CLASS,
      userIds: [staff.id],
    });
    expect(assigned.status).toBe(200);
    staffApi = await signInAs(server, 'school-staff');
    // Today, or the last school day a roll call may still be taken for (the test may run on a holiday).
    const today = (await staffApi.get<ResponseOf<'classesList'>>('/classes')).body.today;
    for (let back = 0; back <= 7 && !day; back++) if ((await sheetOf(addDays(today, -back))).body.editable) day = addDays(today, -back);
    expect(day).toBeDefined();

    weapp = startWeapp({ apiOrigin: server.baseUrl, wechatBaseUrl: server.wechatBaseUrl });
    const options = (await api(server).get<AuthOptions>('/auth/options')).body;
    const name = options.demoAccounts.find((demo) => demo.account === 'school-staff')!.displayName;
    const login = await weapp.open('pages/login/index');
    await login.waitForText(name);
    await login.tap('demo-account', name);
    await login.trigger('btn-primary', 'agreeprivacyauthorization', '同意并继续');
    await until(() => weapp.navigations.at(-1)?.url === '/pages/home/index');
    login.close();
  }, 90_000);

  afterAll(async () => {
    await server?.close();
  });

  test('the school staff’s home leads to the school’s pages, which list the class', async () => {
    const home = await weapp.open('pages/home/index');
    await home.waitForText('学校工作台 · 点名');
    await home.tap('btn-primary', '学校工作台 · 点名');
    expect(weapp.navigations.at(-1)).toEqual({ api: 'navigateTo', url: '/packages/school/pages/home/index' });
    home.close();

    const school = await weapp.open('packages/school/pages/home/index');
    await school.waitForText(LABEL);
    expect(school.text()).toContain('缺勤待跟进');
    expect(school.text()).toContain('请假审批');
    expect(school.text()).toContain(`${PUPILS.length} 名学生`);
    school.close();
  }, 30_000);

  test('the roll-call sheet renders everyone present; taps mark two absent and one submit stores it', async () => {
    const page = await weapp.open(ROLL_CALL, { grade: String(GRADE), className: CLASS, day });
    await page.waitForText(PUPILS[4]!);
    expect(page.text()).toContain(LABEL);
    expect(page.text()).toContain('应到');
    expect(page.text()).toContain('全班默认出勤');

    await page.tap('pupil-main', PUPILS[1]!);
    await page.waitForText('无故缺勤');
    await page.tap('pupil-main', PUPILS[3]!);
    await page.tap('chip', '病假');
    await page.waitForText('提交点名（缺勤 2 人）');
    expect(posts()).toEqual([]);

    await page.tap('btn-primary', '提交点名（缺勤 2 人）');
    await until(() => weapp.toasts.includes('点名已提交'));
    await page.waitForText('点名');
    expect(posts()).toHaveLength(1);
    expect(weapp.storage.get('baoxue.rollCallOutbox')).toEqual([]);
    page.close();

    const sheet = (await sheetOf(day)).body;
    expect(sheet.rollCall).toMatchObject({ pupils: PUPILS.length, absent: 2, day });
    const marks = Object.fromEntries(sheet.pupils.filter((p) => p.mark).map((p) => [p.name, p.mark]));
    expect(marks).toEqual({ [PUPILS[1]!]: 'unexcused', [PUPILS[3]!]: 'sick' });
  }, 30_000);
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the app');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
