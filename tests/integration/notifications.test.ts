import type { CaseDetail, MessageView } from '@baoxue/shared';
import { OutboxMessage, SubscriptionGrant } from '../../server/src/modules/notifications/notification.entities';
import { OutboxWorker } from '../../server/src/modules/notifications/outbox.worker';
import { TipMilestonesService } from '../../server/src/modules/tips/tip-milestones.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit } from '../support/tips';

type MessagePage = { items: MessageView[]; nextCursor: string | null; unread: number };

/** A WeChat user turned into `role` of `code` through an invitation. */
async function invited(
  server: TestServer,
  admin: ApiClient,
  openid: string,
  body: Record<string, unknown>,
  name: string,
): Promise<ApiClient> {
  const invitation = await admin.post<{ code: string }>('/invitations', body);
  const { client } = await signInWithWechat(server, openid);
  expect((await client.post('/invitations/redeem', { code: invitation.body.code, displayName: name })).status).toBe(200);
  return client;
}

describe('notifications: in-app messages and the WeChat outbox', () => {
  let server: TestServer;
  let worker: OutboxWorker;
  let supervisor: ApiClient;
  let official: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    worker = server.app.get(OutboxWorker);
    await raiseTipLimit(server.dataSource);
    const admin = await signInAs(server, 'county-admin');
    official = await invited(
      server,
      admin,
      'o_official_shili',
      { role: 'official', position: 'cadre', unit: { kind: 'division', code: '411522101000' } },
      '周小燕',
    );
    supervisor = await invited(
      server,
      admin,
      'o_supervisor_wuming',
      { role: 'supervisor', unit: { kind: 'division', code: '411522101203' } },
      '吴大山',
    );
    expect((await official.post('/me/subscriptions', { accepted: ['new_case'] })).status).toBe(200);
    expect((await supervisor.post('/me/subscriptions', { accepted: ['tip_progress'] })).status).toBe(200);
  });
  afterAll(async () => server?.close());

  const sentTo = (openid: string) => server.fakeWechat.messages.filter((m) => m.touser === openid);

  it('tells the township of a new tip in the app, and by WeChat those who subscribed, once', async () => {
    await fileTip(supervisor, { child: { name: '通知测试' } });
    const inbox = await official.get<MessagePage>('/messages');
    expect(inbox.body.items[0]).toMatchObject({
      title: '新的疑似辍学线索',
      // the case's number (案件编号) first: the county's sequence of the year
      body: expect.stringMatching(/^案件光山-\d{4}-\d{6}，光山县 十里镇 吴明村民委员会，请在24小时内受理。$/),
      read: false,
    });
    expect(inbox.body.items[0]!.link).toMatch(/^\/packages\/official\/pages\/case\/index\?id=/);
    // demo officials without WeChat get the in-app message too
    const demoCadre = await signInAs(server, 'township-cadre');
    expect((await demoCadre.get<MessagePage>('/messages')).body.items.map((m) => m.title)).toContain('新的疑似辍学线索');

    await worker.drain();
    const delivered = sentTo('o_official_shili');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ templateId: 'demo-template-new-case' });
    expect(delivered[0]!.page).toMatch(/^\/packages\/official\/pages\/case\/index\?id=/);
    expect(delivered[0]!.data).toMatchObject({ thing1: { value: '疑似辍学线索' }, thing2: { value: '十里镇 吴明村民委员会' } });
    expect(await server.dataSource.manager.countBy(OutboxMessage, { status: 'skipped' })).toBeGreaterThan(0);
    // the one-time grant is used up: the next tip reaches the official in the app only
    await fileTip(supervisor, { child: { name: '第二条通知' } });
    await worker.drain();
    expect(sentTo('o_official_shili')).toHaveLength(1);
    const grant = await server.dataSource.manager.findOneBy(SubscriptionGrant, { template: 'new_case' });
    expect(grant?.remaining).toBe(0);
    // draining again sends nothing twice
    await worker.drain();
    expect(sentTo('o_official_shili')).toHaveLength(1);
  });

  it('retries a failed delivery later and delivers the supervisor’s milestone exactly once', async () => {
    const tip = (await fileTip(supervisor, { child: { name: '进展通知' } })).body.tip;
    const caseId = (await server.dataSource.manager.findOneByOrFail(Tip, { id: tip.id })).caseId;
    await worker.drain();
    server.fakeWechat.injectFault({ path: '/cgi-bin/message/subscribe/send', errcode: -1 });
    expect((await official.post<CaseDetail>(`/cases/${caseId}/accept`, {})).status).toBe(200);
    await worker.drain();
    expect(sentTo('o_supervisor_wuming')).toHaveLength(0);
    const pending = await server.dataSource.manager.findOneByOrFail(OutboxMessage, { template: 'tip_progress', status: 'pending' });
    expect(pending).toMatchObject({ attempts: 1, lastError: '-1 injected fault -1' });
    server.clock.advance(31_000);
    try {
      await worker.drain();
    } finally {
      server.clock.advance(-31_000);
    }
    const delivered = sentTo('o_supervisor_wuming');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.data).toMatchObject({ phrase2: { value: '已受理' }, thing1: { value: '您提交的疑似辍学线索' } });
    expect(delivered[0]!.page).toBe(`/packages/supervisor/pages/tip/index?id=${tip.id}`);
    // the same milestone announced again is not queued again
    await server.dataSource.transaction((manager) => server.app.get(TipMilestonesService).announce(manager, caseId, 'assigned', null));
    await worker.drain();
    expect(sentTo('o_supervisor_wuming')).toHaveLength(1);
    const messages = await supervisor.get<MessagePage>('/messages');
    expect(messages.body.items.filter((m) => m.title === '您提交的线索有新进展')).toHaveLength(1);
  });

  it('leaves a message another worker holds alone until its lease runs out', async () => {
    await official.post('/me/subscriptions', { accepted: ['new_case'] });
    await fileTip(supervisor, { child: { name: '租约测试' } });
    const message = await server.dataSource.manager.findOneOrFail(OutboxMessage, {
      where: { status: 'pending' },
      order: { createdAt: 'DESC' },
    });
    await server.dataSource.manager.update(
      OutboxMessage,
      { id: message.id },
      { leasedUntil: new Date(server.clock.now().getTime() + 30_000), attempts: 1 },
    );
    await worker.drain();
    expect((await server.dataSource.manager.findOneByOrFail(OutboxMessage, { id: message.id })).status).toBe('pending');
    server.clock.advance(31_000);
    try {
      await worker.drain();
    } finally {
      server.clock.advance(-31_000);
    }
    expect((await server.dataSource.manager.findOneByOrFail(OutboxMessage, { id: message.id })).status).not.toBe('pending');
  });

  it('stops sending to a user who refused the template', async () => {
    await official.post('/me/subscriptions', { accepted: ['new_case'] });
    server.fakeWechat.refusingUsers.add('o_official_shili');
    try {
      await fileTip(supervisor, { child: { name: '拒收测试' } });
      await worker.drain();
      const grant = await server.dataSource.manager.findOneByOrFail(SubscriptionGrant, { template: 'new_case' });
      expect(grant.remaining).toBe(0);
    } finally {
      server.fakeWechat.refusingUsers.clear();
    }
  });

  it('lists, counts and marks one’s own messages, and nobody else’s', async () => {
    const page = await official.get<MessagePage>('/messages?limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.unread).toBeGreaterThan(1);
    const next = await official.get<MessagePage>(`/messages?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0]!.id < page.body.items[1]!.id).toBe(true);
    const read = await official.post<MessageView>(`/messages/${page.body.items[0]!.id}/read`);
    expect(read.body.read).toBe(true);
    expectError(await supervisor.post(`/messages/${page.body.items[1]!.id}/read`), 404, 'NOT_FOUND');
    await official.post('/messages/read-all');
    expect((await official.get<MessagePage>('/messages')).body.unread).toBe(0);
    const subscriptions = await official.get<{ items: Array<{ key: string; templateId: string; remaining: number }> }>('/me/subscriptions');
    expect(subscriptions.body.items.map((s) => s.key)).toEqual(['new_case', 'tip_progress']);
    expectError(await official.post('/me/subscriptions', { accepted: ['spam'] }), 400, 'VALIDATION_FAILED');
  });
});
