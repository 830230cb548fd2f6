import type { BoundChildView } from '@baoxue/shared';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import type { Child } from '../../server/src/modules/children/child.entity';
import { Guardianship } from '../../server/src/modules/children/guardianship.entity';
import { BindingAttempt } from '../../server/src/modules/guardians/binding-attempt.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

describe('binding a child', () => {
  let server: TestServer;
  let parent: ApiClient;
  let pupil: Child;
  let schoolId: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { BINDING_MAX_FAILURES: '3', BINDING_LOCKOUT_MINUTES: '30' } });
    parent = await signInAs(server, 'parent');
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    pupil = await createPupil(server.dataSource, { name: '张小明', schoolId, grade: 3, className: '2班', bindingCode: 'KQ7M3XPA' });
  });
  afterAll(async () => server?.close());

  it('binds with the code on the notice plus the child’s name, however the code is typed', async () => {
    const bound = await parent.post<BoundChildView>('/children/bind', {
      bindingCode: 'kq7m-3xpa ',
      childName: '张 小明',
      relation: 'mother',
    });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({
      id: pupil.id,
      name: '张小明',
      schoolName: DEMO_SCHOOL,
      grade: 3,
      className: '2班',
      relation: '母亲',
    });
    expect(bound.body.idNumberMasked).toMatch(/^411522\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(bound.body)).not.toContain(pupil.idNumber!);
    const mine = await parent.get<{ items: BoundChildView[] }>('/children/mine');
    expect(mine.body.items.map((c) => c.id)).toEqual([pupil.id]);
    // binding again is harmless
    expect((await parent.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小明', relation: 'mother' })).status).toBe(200);
    expect(await server.dataSource.manager.countBy(Guardianship, { childId: pupil.id })).toBe(1);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'child.bind', targetId: pupil.id })).toBe(2);
  });

  it('lets several guardians bind the same child', async () => {
    const { client: father } = await signInWithWechat(server, 'openid-father-1');
    expect((await father.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小明', relation: 'father' })).status).toBe(200);
    expect(await server.dataSource.manager.countBy(Guardianship, { childId: pupil.id })).toBe(2);
  });

  it('refuses a wrong code or a wrong name alike, never by ID number, and locks out after too many', async () => {
    const { client } = await signInWithWechat(server, 'openid-guesser');
    const wrongName = await client.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小红', relation: 'father' });
    const body = expectError(wrongName, 400, 'BINDING_INVALID');
    expect(body.message).toContain('还可尝试2次');
    expect(body.fields).toEqual({ bindingCode: '绑定码或孩子姓名不正确', childName: '绑定码或孩子姓名不正确' });
    // an ID number is not a binding code
    expectError(
      await client.post('/children/bind', { bindingCode: pupil.idNumber!, childName: '张小明', relation: 'father' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await client.post('/children/bind', { bindingCode: 'ZZZZ2222', childName: '张小明', relation: 'father' }),
      400,
      'BINDING_INVALID',
    );
    expectError(
      await client.post('/children/bind', { bindingCode: 'ZZZZ3333', childName: '张小明', relation: 'father' }),
      400,
      'BINDING_INVALID',
    );
    // now even the right code is refused until the lock lifts
    const locked = await client.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小明', relation: 'father' });
    expect(expectError(locked, 429, 'BINDING_LOCKED').message).toMatch(/请\d+分钟后再试/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // other users are not affected
    const { client: other } = await signInWithWechat(server, 'openid-grandma');
    expect((await other.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小明', relation: 'grandmother' })).status).toBe(
      200,
    );
    server.clock.advance(31 * 60_000);
    try {
      expect((await client.post('/children/bind', { bindingCode: 'KQ7M3XPA', childName: '张小明', relation: 'father' })).status).toBe(200);
    } finally {
      server.clock.advance(-31 * 60_000);
    }
  });

  it('never grants more guesses than the limit to parallel attempts', async () => {
    const { client, session } = await signInWithWechat(server, 'openid-parallel-guesser');
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.post('/children/bind', { bindingCode: `ZZ${String.fromCharCode(65 + i)}ZZ222`, childName: '张小明', relation: 'father' }),
      ),
    );
    // BINDING_MAX_FAILURES is 3 in this file: three guesses are judged, the rest are refused unread
    expect(guesses.filter((g) => g.status === 400)).toHaveLength(3);
    expect(guesses.filter((g) => g.status === 429)).toHaveLength(9);
    expect(await server.dataSource.manager.countBy(BindingAttempt, { userId: session.user.id })).toBe(3);
  });

  it('never binds more guardians than allowed when they bind at the same moment', async () => {
    const child = await createPupil(server.dataSource, { name: '李同时', schoolId, bindingCode: 'PW8N4RTB' });
    const parents = await Promise.all(Array.from({ length: 8 }, (_, i) => signInWithWechat(server, `openid-same-moment-${i}`)));
    const bound = await Promise.all(
      parents.map(({ client }) => client.post('/children/bind', { bindingCode: 'PW8N4RTB', childName: '李同时', relation: 'other' })),
    );
    // a child has at most six guardians in the app
    expect(bound.filter((b) => b.status === 200)).toHaveLength(6);
    expect(bound.filter((b) => b.status === 409).map((b) => (b.body as { code?: string }).code)).toEqual([
      'GUARDIANS_FULL',
      'GUARDIANS_FULL',
    ]);
    expect(await server.dataSource.manager.countBy(Guardianship, { childId: child.id })).toBe(6);
  });

  it('validates the request in Chinese, naming the field', async () => {
    const response = await parent.post('/children/bind', { bindingCode: '', childName: '张小明', relation: 'uncle' });
    const body = expectError(response, 400, 'VALIDATION_FAILED');
    expect(Object.keys(body.fields).sort()).toEqual(['bindingCode', 'relation']);
  });

  it('unbinds, and a child not bound to the caller cannot be unbound', async () => {
    const other = await createPupil(server.dataSource, { name: '李四', schoolId, bindingCode: 'LS4CODE2' });
    const { client } = await signInWithWechat(server, 'openid-unbinder');
    await client.post('/children/bind', { bindingCode: 'LS4CODE2', childName: '李四', relation: 'father' });
    expectError(await parent.post(`/children/${other.id}/unbind`), 404, 'NOT_FOUND');
    expect((await client.post(`/children/${other.id}/unbind`)).body).toEqual({ ok: true });
    expect((await client.get<{ items: unknown[] }>('/children/mine')).body.items).toEqual([]);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'child.unbind', targetId: other.id })).toBe(1);
  });

  it('shows a child’s guardians to officials in scope only, and audits each look', async () => {
    const staff = await signInAs(server, 'school-staff');
    const villageCadre = await signInAs(server, 'village-cadre');
    const zhaihe = await signInAs(server, 'zhaihe-cadre');
    const seen = await staff.get<{ roster: Array<{ name: string; phone: string }>; accounts: Array<{ relation: string }> }>(
      `/children/${pupil.id}/guardians`,
    );
    expect(seen.status).toBe(200);
    expect(seen.body.roster).toEqual([{ name: '张大军', relation: '父亲', phone: '13800001234' }]);
    expect(seen.body.accounts.map((a) => a.relation).sort()).toEqual(['母亲', '父亲', '父亲', '祖母'].sort());
    expect((await villageCadre.get(`/children/${pupil.id}/guardians`)).status).toBe(200);
    expectError(await zhaihe.get(`/children/${pupil.id}/guardians`), 404, 'NOT_FOUND');
    await seedOtherCounty(server.dataSource);
    const otherAdmin = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', unitDivisionCode: OTHER_COUNTY.code, countyCode: OTHER_COUNTY.code }),
    );
    expectError(await otherAdmin.get(`/children/${pupil.id}/guardians`), 404, 'NOT_FOUND');
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'child.guardians.read', targetId: pupil.id })).toBe(2);
  });
});
