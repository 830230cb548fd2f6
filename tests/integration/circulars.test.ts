import {
  chinaDay,
  divisionLevelOf,
  schoolYearOf,
  schoolYearRange,
  type CaseDetail,
  type CircularSummary,
  type CircularView,
  type ScorecardResponse,
} from '@baoxue/shared';
import { randomUUID } from 'node:crypto';
import { User } from '../../server/src/modules/accounts/user.entity';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Circular, CircularReceipt } from '../../server/src/modules/circulars/circular.entities';
import { InboxMessage, OutboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { download, pdfText } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

const HOUR = 3_600_000;
const COUNTY = '411522000000';

/**
 * Issue 18 part 4: 通报. The county works cases in two townships, publishes the township scorecard as
 * a 通报: the stored table equals the scorecard at that moment and stays so after later case work;
 * numbers follow the county's yearly sequence; every township leader and every school's staff — as
 * recounted from the accounts — holds one copy and one in-app message; the PDF names the first-ranked
 * township; a replay is one 通报; other roles and other counties are refused.
 */
describe('通报: publishing a scorecard', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;
  let shiliCadre: ApiClient;
  let zhaiheCadre: ApiClient;
  let otherAdmin: ApiClient;
  let otherSchoolStaff: string;

  const manager = () => server.dataSource.manager;
  const today = () => chinaDay(server.clock.now());

  async function tip(village: string, name: string): Promise<string> {
    const response = await fileTip(supervisor, { divisionCode: village, child: { name, sex: 'female', age: 11 } });
    expect(response.status).toBe(201);
    return (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
  }

  async function step(client: ApiClient, caseId: string, body: Record<string, unknown>): Promise<void> {
    const current = await client.get<CaseDetail>(`/cases/${caseId}`);
    const response = await client.post(`/cases/${caseId}/transitions`, { version: current.body.version, ...body });
    if (response.status !== 200) throw new Error(`${String(body.transition)}: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async function accept(client: ApiClient, caseId: string): Promise<void> {
    const response = await client.post(`/cases/${caseId}/accept`, {});
    if (response.status !== 200) throw new Error(`accept: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async function scorecard(query: string): Promise<ScorecardResponse> {
    const response = await admin.get<ScorecardResponse>(`/scorecards${query}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  /** The accounts a 通报 of the county must reach, counted from the accounts table by hand. */
  async function expectedRecipients(): Promise<string[]> {
    const users = await manager().findBy(User, { countyCode: COUNTY, role: 'official', disabled: false });
    return users
      .filter(
        (u) => u.unitSchoolId || (u.position === 'leader' && u.unitDivisionCode && divisionLevelOf(u.unitDivisionCode) === 'township'),
      )
      .map((u) => u.id)
      .sort();
  }

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    const { schoolId } = await seedOtherCounty(server.dataSource);
    otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    otherSchoolStaff = (
      await createUser(server.dataSource, {
        role: 'official',
        position: 'school_staff',
        unitSchoolId: schoolId,
        countyCode: OTHER_COUNTY.code,
      })
    ).id;
    const zhaiheLeader = await createUser(server.dataSource, {
      role: 'official',
      position: 'leader',
      unitDivisionCode: ZHAIHE,
      countyCode: COUNTY,
      displayName: '寨河镇镇长',
    });
    const zhaiheCadreUser = await createUser(server.dataSource, {
      role: 'official',
      position: 'cadre',
      unitDivisionCode: ZHAIHE,
      countyCode: COUNTY,
    });
    expect(zhaiheLeader.id).toBeTruthy();
    [admin, supervisor, shiliCadre] = await Promise.all(['county-admin', 'supervisor', 'township-cadre'].map((a) => signInAs(server, a)));
    zhaiheCadre = await clientFor(server, zhaiheCadreUser);
  }, 120_000);
  afterAll(async () => server?.close());

  it('publishes a locked, numbered scorecard to every township leader and school, once per key', async () => {
    // 十里镇 accepts and confirms within two hours; 寨河镇 leaves its tip unaccepted past the 24 h limit
    const s1 = await tip(WUMING, '丙三一');
    const z1 = await tip(ZHANGWEIZI, '丙三二');
    server.clock.advance(2 * HOUR);
    await accept(shiliCadre, s1);
    await step(shiliCadre, s1, { transition: 'start_verification' });
    await step(shiliCadre, s1, { transition: 'confirm', causes: ['poverty'] });
    server.clock.advance(24 * HOUR);
    [admin, supervisor, shiliCadre] = await Promise.all(['county-admin', 'supervisor', 'township-cadre'].map((a) => signInAs(server, a)));

    const { from } = schoolYearRange(schoolYearOf(today()));
    const query = `?by=township&from=${from}&to=${today()}`;
    const before = await scorecard(query);
    expect(before.rows[0]!.code).toBe(SHILI);
    expect(before.rows.find((row) => row.code === ZHAIHE)!.figures.overdue_now.value).toBe(1);

    const key = randomUUID();
    const body = {
      title: '关于2026年秋季控辍保学工作考核情况的通报',
      comment: '十里镇受理及时，予以表扬；寨河镇线索逾期未受理，予以批评。',
      by: 'township',
      from,
      to: today(),
      idempotencyKey: key,
    };
    const published = await admin.post<CircularView>('/circulars', body);
    expect(published.status).toBe(201);
    const year = today().slice(0, 4);
    expect(published.body.number).toBe(`光山教通〔${year}〕1号`);
    expect(published.body.scorecard).toEqual(before);
    expect(published.body.firstRanked).toEqual([before.rows[0]!.name]);

    // every township leader and every school's staff of the county, recounted: one copy and one message each
    const recipients = await expectedRecipients();
    expect(recipients.length).toBeGreaterThan(2);
    const receipts = await manager().findBy(CircularReceipt, { circularId: published.body.id });
    expect(receipts.map((r) => r.userId).sort()).toEqual(recipients);
    expect(published.body.recipients).toBe(recipients.length);
    const messages = (await manager().find(InboxMessage)).filter((m) => m.dedupeKey.startsWith(`circular:${published.body.id}:`));
    expect(messages.map((m) => m.userId).sort()).toEqual(recipients);
    expect(messages[0]!.link).toContain(published.body.id);
    expect(messages[0]!.title).toContain(published.body.number);
    // a 通报 has no WeChat subscribe template: the outbox holds nothing for it, so nothing can go out twice
    expect((await manager().find(OutboxMessage)).filter((m) => m.dedupeKey.startsWith(`circular:`))).toEqual([]);
    // nobody else got it: not the cadres, not the county admin, not the other county's school
    const [cadre, otherStaff] = [await manager().findOneByOrFail(User, { demoAccount: 'township-cadre' }), otherSchoolStaff];
    expect(recipients).not.toContain(cadre.id);
    expect(recipients).not.toContain(otherStaff);
    expect(await manager().countBy(AuditEntry, { action: 'circular.publish', targetId: published.body.id })).toBe(1);

    // the same key again: the same 通报, nothing sent twice
    const replay = await admin.post<CircularView>('/circulars', body);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(published.body.id);
    expect(await manager().countBy(Circular, { countyCode: COUNTY })).toBe(1);
    expect(await manager().countBy(CircularReceipt, { circularId: published.body.id })).toBe(recipients.length);
    expect((await manager().find(InboxMessage)).filter((m) => m.dedupeKey.startsWith('circular:'))).toHaveLength(recipients.length);

    // the numbers follow: the school table is the county's second 通报 of the year
    const schools = await admin.post<CircularView>('/circulars', {
      ...body,
      title: '各学校考核情况通报',
      comment: undefined,
      by: 'school',
      idempotencyKey: randomUUID(),
    });
    expect(schools.status).toBe(201);
    expect(schools.body.number).toBe(`光山教通〔${year}〕2号`);
    expect(schools.body.comment).toBeNull();
    expect(schools.body.scorecard.by).toBe('school');

    // later case work changes the scorecard, not the 通报
    await accept(zhaiheCadre, z1);
    const after = await scorecard(query);
    expect(after.rows.find((row) => row.code === ZHAIHE)!.figures.overdue_now.value).toBe(0);
    expect(after).not.toEqual(before);
    const stored = await admin.get<CircularView>(`/circulars/${published.body.id}`);
    expect(stored.status).toBe(200);
    expect(stored.body.scorecard).toEqual(before);

    // lists: the county's, newest first; a township leader's and a school's received copies, read once opened
    const list = await admin.get<{ items: CircularSummary[] }>('/circulars');
    expect(list.body.items.map((c) => c.number)).toEqual([`光山教通〔${year}〕2号`, `光山教通〔${year}〕1号`]);
    for (const account of ['township-leader', 'school-staff']) {
      const client = await signInAs(server, account);
      const mine = await client.get<{ items: CircularSummary[] }>('/circulars/mine');
      expect(mine.status).toBe(200);
      expect(mine.body.items.map((c) => c.id)).toEqual([schools.body.id, published.body.id]);
      expect(mine.body.items.every((c) => c.readAt === null)).toBe(true);
      expect((await client.get<CircularView>(`/circulars/${published.body.id}`)).body.scorecard).toEqual(before);
      expect((await client.get<{ items: CircularSummary[] }>('/circulars/mine')).body.items[1]!.readAt).not.toBeNull();
    }

    // the PDF: a real PDF whose text names the number, the first-ranked township, the comment and the bureau
    for (const client of [admin, await signInAs(server, 'school-staff')]) {
      const pdf = await download(server, client.token, `/circulars/${published.body.id}/pdf`);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toContain('application/pdf');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const text = pdfText(pdf.body).pages.join('\n').replace(/\s+/g, '');
      expect(text).toContain(`光山教通〔${year}〕1号`);
      expect(text).toContain(before.rows[0]!.name);
      expect(text).toContain('予以表扬');
      expect(text).toContain('光山县教育局');
      expect(text).toContain('按时核查率');
    }
  }, 120_000);

  it('refuses other roles, other counties and bad input with a structured answer in Chinese', async () => {
    const [leader, cadre, parent] = await Promise.all(['township-leader', 'township-cadre', 'parent'].map((a) => signInAs(server, a)));
    const circular = (await manager().findOneByOrFail(Circular, { countyCode: COUNTY, sequence: 1 })).id;
    const valid = { title: '考核通报', by: 'township', from: '2026-09-01', to: '2026-11-30', idempotencyKey: randomUUID() };

    // only the county publishes and lists its own
    expect(expectError(await leader.post('/circulars', valid), 403, 'FORBIDDEN').message).toMatch(/县教育局/);
    expectError(await leader.get('/circulars'), 403, 'FORBIDDEN');
    // a cadre or a parent receives none
    for (const client of [cadre, parent]) {
      expectError(await client.get('/circulars/mine'), 403, 'FORBIDDEN');
      expectError(await client.get(`/circulars/${circular}`), 403, 'FORBIDDEN');
    }
    // another county sees nothing of ours
    expectError(await otherAdmin.get(`/circulars/${circular}`), 404, 'NOT_FOUND');
    expect((await download(server, otherAdmin.token, `/circulars/${circular}/pdf`)).status).toBe(404);
    expect((await otherAdmin.get<{ items: CircularSummary[] }>('/circulars')).body.items).toEqual([]);
    expectError(
      await (await clientFor(server, await manager().findOneByOrFail(User, { id: otherSchoolStaff }))).get(`/circulars/${circular}`),
      404,
      'NOT_FOUND',
    );

    // bad input names its field
    const bad = async (body: Record<string, unknown>, field: string) => {
      const error = expectError(
        await admin.post('/circulars', { ...valid, idempotencyKey: randomUUID(), ...body }),
        400,
        'VALIDATION_FAILED',
      );
      expect(error.fields).toHaveProperty(field);
      expect(error.fields![field]).toMatch(/[\u4e00-\u9fa5]/);
    };
    await bad({ title: '  ' }, 'title');
    await bad({ from: '2026-12-10', to: '2026-12-01' }, 'to');
    await bad({ comment: '批'.repeat(1001) }, 'comment');
    await bad({ by: 'county' }, 'by');
    await bad({ from: '2026-02-30' }, 'from');
    await bad({ idempotencyKey: 'again' }, 'idempotencyKey');
    expect(await manager().countBy(Circular, { countyCode: COUNTY })).toBe(2);
  });
});
