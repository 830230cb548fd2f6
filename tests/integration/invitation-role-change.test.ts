import type { InvitationView, Me, RoleChange } from '@baoxue/shared';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

type Created = InvitationView & { code: string };

/**
 * Issue 15: redeeming a code silently turned a supervisor into school staff. A code that would change
 * what a user already is — another role, position or unit, or a parent who stops seeing their bound
 * children — is refused with the change until the user confirms it; nothing is used up meanwhile.
 */
describe('an invitation that changes an existing role', () => {
  let server: TestServer;
  let admin: ApiClient;
  let schoolId: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
  });
  afterAll(async () => server?.close());

  async function invite(body: Record<string, unknown>): Promise<Created> {
    const response = await admin.post<Created>('/invitations', body);
    expect(response.status).toBe(201);
    return response.body;
  }

  async function statusOf(id: string): Promise<string | undefined> {
    return (await admin.get<{ items: InvitationView[] }>('/invitations')).body.items.find((i) => i.id === id)?.status;
  }

  it('shows a supervisor what changes and redeems only once they confirm', async () => {
    const supervisor = await signInAs(server, 'supervisor');
    const code = await invite({ role: 'official', position: 'school_staff', unit: { kind: 'school', schoolId } });

    const asked = await supervisor.post('/invitations/redeem', { code: code.code, displayName: '李建国' });
    const body = expectError(asked, 409, 'INVITATION_ROLE_CHANGE');
    expect(body.current as RoleChange).toEqual({
      from: {
        role: 'supervisor',
        position: null,
        unit: {
          kind: 'division',
          code: '411522101203',
          name: '吴明村民委员会',
          fullName: '光山县 十里镇 吴明村民委员会',
          level: 'village',
        },
      },
      to: {
        role: 'official',
        position: 'school_staff',
        unit: { kind: 'school', schoolId, name: DEMO_SCHOOL, townshipCode: '411522101000', countyCode: '411522000000' },
      },
      boundChildren: 0,
    });
    // nothing changed, nothing used up
    expect((await supervisor.get<Me>('/me')).body.role).toBe('supervisor');
    expect(await statusOf(code.id)).toBe('active');
    // saying no is the same as not asking
    expectError(
      await supervisor.post('/invitations/redeem', { code: code.code, displayName: '李建国', confirmRoleChange: false }),
      409,
      'INVITATION_ROLE_CHANGE',
    );

    const confirmed = await supervisor.post<Me>('/invitations/redeem', { code: code.code, displayName: '李建国', confirmRoleChange: true });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ role: 'official', position: 'school_staff', unit: { kind: 'school', schoolId } });
    expect(await statusOf(code.id)).toBe('used');
    const audited = await server.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'invitation.redeem', targetId: code.id });
    expect(audited.details).toMatchObject({ role: 'official', position: 'school_staff', fromRole: 'supervisor', confirmedChange: true });
  });

  it('asks a parent who has bound a child, and not one who has not', async () => {
    const { client: parent } = await signInWithWechat(server, 'o_mother_of_one');
    await createPupil(server.dataSource, { name: '周小雨', schoolId, grade: 4, bindingCode: 'ZXY2RC48' });
    expect((await parent.post('/children/bind', { bindingCode: 'ZXY2RC48', childName: '周小雨', relation: 'mother' })).status).toBe(200);
    const code = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522101203' } });
    const asked = expectError(
      await parent.post('/invitations/redeem', { code: code.code, displayName: '周芳' }),
      409,
      'INVITATION_ROLE_CHANGE',
    );
    expect(asked.current as RoleChange).toMatchObject({
      from: { role: 'parent', position: null, unit: null },
      to: { role: 'supervisor', unit: { kind: 'division', code: '411522101203' } },
      boundChildren: 1,
    });
    expect(asked.message).toMatch(/改变您现在的身份/);
    expect(
      (await parent.post<Me>('/invitations/redeem', { code: code.code, displayName: '周芳', confirmRoleChange: true })).body.role,
    ).toBe('supervisor');

    // everyone starts as a parent: one without children is not asked
    const { client: newcomer } = await signInWithWechat(server, 'o_newcomer');
    const plain = await invite({ role: 'supervisor', unit: { kind: 'division', code: '411522101203' } });
    expect((await newcomer.post<Me>('/invitations/redeem', { code: plain.code, displayName: '新人' })).body.role).toBe('supervisor');
  });

  it('does not ask when the code gives what the user already is', async () => {
    const cadre = await signInAs(server, 'township-cadre');
    const me = (await cadre.get<Me>('/me')).body;
    const same = await invite({ role: 'official', position: 'cadre', unit: { kind: 'division', code: '411522101000' } });
    const redeemed = await cadre.post<Me>('/invitations/redeem', { code: same.code, displayName: '陈丽' });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ role: me.role, position: me.position, unit: { code: '411522101000' } });
    // a different position in the same unit is a change
    const leader = await invite({ role: 'official', position: 'leader', unit: { kind: 'division', code: '411522101000' } });
    const asked = expectError(
      await cadre.post('/invitations/redeem', { code: leader.code, displayName: '陈丽' }),
      409,
      'INVITATION_ROLE_CHANGE',
    );
    expect(asked.current as RoleChange).toMatchObject({ from: { position: 'cadre' }, to: { position: 'leader' } });
  });

  it('checks the code before asking: a wrong code is counted, not a change', async () => {
    const villageCadre = await signInAs(server, 'village-cadre');
    expectError(
      await villageCadre.post('/invitations/redeem', { code: 'WRONGCODE2', displayName: '刘德明', confirmRoleChange: true }),
      400,
      'INVITATION_INVALID',
    );
    expect((await villageCadre.get<Me>('/me')).body.role).toBe('official');
  });
});
