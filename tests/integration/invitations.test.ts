import type { InvitationView, Me } from '@baoxue/shared';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Invitation } from '../../server/src/modules/invitations/invitation.entity';
import { api, expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { startTestServer, type TestServer } from '../support/server';

type Created = InvitationView & { code: string };

describe('invitation codes', () => {
  let server: TestServer;
  let admin: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { INVITATION_ATTEMPTS_PER_HOUR: '3', LOGIN_RATE_PER_MINUTE: '1000' } });
    admin = await signInAs(server, 'county-admin');
    schoolId = (await admin.get<{ items: Array<{ id: string }> }>('/schools?under=411522102000&stage=junior')).body.items[0]!.id;
  });
  afterAll(async () => server?.close());

  async function invite(body: Record<string, unknown>): Promise<Created> {
    const response = await admin.post<Created>('/invitations', body);
    expect(response.status).toBe(201);
    return response.body;
  }

  it('turns a signed-in parent into the official the code was issued for', async () => {
    const created = await invite({
      role: 'official',
      position: 'cadre',
      unit: { kind: 'division', code: '411522102000' },
      note: '寨河镇 包村干部',
    });
    expect(created.code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(created).toMatchObject({
      status: 'active',
      codeHint: created.code.slice(-2),
      unit: { kind: 'division', name: '寨河镇', fullName: '光山县 寨河镇' },
    });

    const { client } = await signInWithWechat(server, 'o_new_cadre');
    const redeemed = await client.post<Me>('/invitations/redeem', { code: created.code, displayName: '孙志刚' });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({
      role: 'official',
      position: 'cadre',
      displayName: '孙志刚',
      unit: { kind: 'division', code: '411522102000' },
    });
    // the same session now acts with the new role
    expect((await client.get<Me>('/me')).body.role).toBe('official');

    const listed = await admin.get<{ items: InvitationView[] }>('/invitations?status=used');
    expect(listed.body.items.find((i) => i.id === created.id)).toMatchObject({ status: 'used', usedByName: '孙志刚' });
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'invitation.redeem', targetId: created.id })).toBe(1);
    // the plain code is never stored
    const stored = await server.dataSource.manager.findOneByOrFail(Invitation, { id: created.id });
    expect(JSON.stringify(stored)).not.toContain(created.code);
  });

  it('accepts the code as people type it: lower case, spaces and dashes', async () => {
    const created = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102001' } });
    const { client } = await signInWithWechat(server, 'o_typist');
    const typed = `${created.code.slice(0, 5).toLowerCase()} - ${created.code.slice(5)}`;
    expect((await client.post<Me>('/invitations/redeem', { code: typed, displayName: '钱多多' })).body.role).toBe('supervisor');
  });

  it('makes school staff of a school', async () => {
    const created = await invite({ role: 'official', position: 'school_staff', unit: { kind: 'school', schoolId } });
    const { client } = await signInWithWechat(server, 'o_teacher');
    const me = await client.post<Me>('/invitations/redeem', { code: created.code, displayName: '吴老师' });
    expect(me.body.unit).toMatchObject({ kind: 'school', schoolId, townshipCode: '411522102000', countyCode: '411522000000' });
  });

  it('works exactly once, even when two people redeem it at the same moment', async () => {
    const created = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102201' } });
    const people = await Promise.all(['o_race_1', 'o_race_2', 'o_race_3'].map((o) => signInWithWechat(server, o)));
    const results = await Promise.all(
      people.map(({ client }) => client.post('/invitations/redeem', { code: created.code, displayName: '抢码人' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    for (const refused of results.filter((r) => r.status !== 200)) expectError(refused, 400, 'INVITATION_USED');
  });

  it('refuses expired and revoked codes, and revoking a used one', async () => {
    const expiring = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102202' }, expiresInHours: 1 });
    const revoked = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102202' } });
    expect((await admin.post<InvitationView>(`/invitations/${revoked.id}/revoke`)).body.status).toBe('revoked');
    // revoking twice changes nothing
    expect((await admin.post<InvitationView>(`/invitations/${revoked.id}/revoke`)).body.status).toBe('revoked');
    const { client } = await signInWithWechat(server, 'o_late');
    expectError(await client.post('/invitations/redeem', { code: revoked.code, displayName: '迟到者' }), 400, 'INVITATION_REVOKED');
    server.clock.advance(3_600_001);
    try {
      expectError(await client.post('/invitations/redeem', { code: expiring.code, displayName: '迟到者' }), 400, 'INVITATION_EXPIRED');
      expect((await admin.get<{ items: InvitationView[] }>('/invitations?status=expired')).body.items.map((i) => i.id)).toContain(
        expiring.id,
      );
    } finally {
      server.clock.advance(-3_600_001);
    }
    const used = (await admin.get<{ items: InvitationView[] }>('/invitations?status=used')).body.items[0]!;
    expectError(await admin.post(`/invitations/${used.id}/revoke`), 409, 'INVITATION_NOT_REVOCABLE');
  });

  it('locks a user out after too many wrong codes', async () => {
    const { client } = await signInWithWechat(server, 'o_guesser');
    for (let i = 0; i < 3; i++)
      expectError(await client.post('/invitations/redeem', { code: `WRONG${i}ABCD`, displayName: '猜码人' }), 400, 'INVITATION_INVALID');
    const locked = await client.post('/invitations/redeem', { code: 'WRONGXABCD', displayName: '猜码人' });
    expectError(locked, 429, 'RATE_LIMITED');
    // even the right code waits for the lockout to pass
    const created = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102203' } });
    expectError(await client.post('/invitations/redeem', { code: created.code, displayName: '猜码人' }), 429, 'RATE_LIMITED');
    server.clock.advance(3_600_001);
    try {
      expect((await client.post('/invitations/redeem', { code: created.code, displayName: '猜码人' })).status).toBe(200);
    } finally {
      server.clock.advance(-3_600_001);
    }
  });

  it('validates what an invitation is for, field by field', async () => {
    const noPosition = expectError(
      await admin.post('/invitations', { role: 'official', unit: { kind: 'division', code: '411522102000' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(noPosition.fields).toEqual({ position: '工作人员需选择职务' });
    const supervisorAtSchool = expectError(
      await admin.post('/invitations', { role: 'supervisor', unit: { kind: 'school', schoolId } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(supervisorAtSchool.fields).toEqual({ unit: '社会监督员应归属行政区划，而非学校' });
    const badCode = expectError(
      await admin.post('/invitations', { role: 'supervisor', unit: { kind: 'division', code: '41152210200' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(badCode.fields).toEqual({ 'unit.code': '区划代码应为12位数字' });
    const unknownDivision = expectError(
      await admin.post('/invitations', { role: 'supervisor', unit: { kind: 'division', code: '411522199000' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(unknownDivision.fields).toEqual({ 'unit.code': '该行政区划不存在' });
    // another county admin: of the admin's own county, with no position
    const adminWithPosition = expectError(
      await admin.post('/invitations', { role: 'county_admin', position: 'leader', unit: { kind: 'division', code: '411522000000' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(adminWithPosition.fields).toEqual({ position: '县教育局管理员不设职务' });
    const adminOfTownship = expectError(
      await admin.post('/invitations', { role: 'county_admin', unit: { kind: 'division', code: '411522102000' } }),
      403,
      'FORBIDDEN',
    );
    expect(adminOfTownship.fields).toEqual({ 'unit.code': '县教育局管理员的单位应为本县' });
    expect(await server.dataSource.manager.countBy(Invitation, { unitDivisionCode: '411522199000' })).toBe(0);
  });

  it('cannot be used by a county admin to change their own role', async () => {
    const created = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102204' } });
    expectError(await admin.post('/invitations/redeem', { code: created.code, displayName: '周国华' }), 403, 'FORBIDDEN');
    expect((await admin.get<Me>('/me')).body.role).toBe('county_admin');
  });

  it('requires a name for the new role', async () => {
    const created = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522102205' } });
    const { client } = await signInWithWechat(server, 'o_nameless');
    const refused = expectError(await client.post('/invitations/redeem', { code: created.code }), 400, 'VALIDATION_FAILED');
    expect(refused.fields).toEqual({ displayName: '请填写姓名' });
    expect((await api(server, client.token).get<Me>('/me')).body.role).toBe('parent');
  });
});
