import type { AccountView } from '@baoxue/shared';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { createUser } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';

describe('accounts', () => {
  let server: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
  });
  afterAll(async () => server?.close());

  it('lists the county’s supervisors and officials but never parents', async () => {
    await signInWithWechat(server, 'o_some_parent');
    const all = await admin.get<{ items: AccountView[]; nextCursor: string | null }>('/accounts?limit=100');
    expect(all.body.items.map((a) => a.displayName).sort()).toEqual(
      ['李建国', '王志强', '陈丽', '刘德明', '赵敏', '黄振东', '孙志刚', '周国华'].sort(),
    );
    expect(all.body.items.some((a) => a.role === 'parent')).toBe(false);
    const officials = await admin.get<{ items: AccountView[] }>('/accounts?role=official');
    expect(officials.body.items).toHaveLength(6);
    const school = officials.body.items.find((a) => a.position === 'school_staff')!;
    expect(school.unit).toMatchObject({ kind: 'school', name: '光山县十里镇中心小学' });
  });

  it('pages newest first', async () => {
    const first = await admin.get<{ items: AccountView[]; nextCursor: string | null }>('/accounts?limit=5');
    const second = await admin.get<{ items: AccountView[]; nextCursor: string | null }>(
      `/accounts?limit=5&cursor=${first.body.nextCursor}`,
    );
    expect(first.body.items).toHaveLength(5);
    expect(second.body.items).toHaveLength(3);
    expect(second.body.nextCursor).toBeNull();
    expect(first.body.items[0]!.displayName).toBe('周国华');
  });

  it('finds accounts by part of the name, on the server, page by page and within the role filter', async () => {
    const county = '411522000000';
    const names = Array.from({ length: 7 }, (_, i) => `搜索测试${i}号`);
    for (const [i, displayName] of names.entries())
      await createUser(server.dataSource, {
        role: i % 2 ? 'supervisor' : 'official',
        position: i % 2 ? null : 'cadre',
        unitDivisionCode: '411522101000',
        countyCode: county,
        displayName,
      });
    // another county's account of the same name is never found
    await createUser(server.dataSource, {
      role: 'supervisor',
      unitDivisionCode: '411521100000',
      countyCode: '411521000000',
      displayName: '搜索测试外县',
    });
    type Page = { items: AccountView[]; nextCursor: string | null };
    const found: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await admin.get<Page>(
        `/accounts?limit=3&q=${encodeURIComponent('搜索测试')}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      found.push(...page.body.items.map((a) => a.displayName));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(found.sort()).toEqual([...names].sort());
    const supervisors = await admin.get<Page>(`/accounts?role=supervisor&q=${encodeURIComponent('测试')}`);
    expect(supervisors.body.items.map((a) => a.displayName).sort()).toEqual(names.filter((_, i) => i % 2).sort());
    // LIKE's wildcards are plain text
    expect((await admin.get<Page>(`/accounts?q=${encodeURIComponent('%')}`)).body.items).toEqual([]);
    const tooLong = expectError(await admin.get(`/accounts?q=${'长'.repeat(21)}`), 400, 'VALIDATION_FAILED');
    expect(tooLong.fields).toEqual({ q: '搜索词最多20个字' });
  });

  it('disables and enables an account with an audit entry, but not the admin’s own', async () => {
    const cadre = (await admin.get<{ items: AccountView[] }>('/accounts?role=official')).body.items.find((a) => a.displayName === '陈丽')!;
    expect((await admin.patch<AccountView>(`/accounts/${cadre.id}`, { disabled: true })).body.disabled).toBe(true);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'account.disable', targetId: cadre.id })).toBe(1);
    expect((await admin.patch<AccountView>(`/accounts/${cadre.id}`, { disabled: false })).body.disabled).toBe(false);
    const self = (await admin.get<{ items: AccountView[] }>('/accounts?role=county_admin')).body.items[0]!;
    expectError(await admin.patch(`/accounts/${self.id}`, { disabled: true }), 403, 'FORBIDDEN');
    // nor another admin of the county: the operator revokes admins, one admin cannot lock the others out
    const other = await createUser(server.dataSource, {
      role: 'county_admin',
      unitDivisionCode: '411522000000',
      countyCode: '411522000000',
    });
    const refused = expectError(await admin.patch(`/accounts/${other.id}`, { disabled: true }), 403, 'FORBIDDEN');
    expect(refused.message).toBe('县教育局管理员账号由系统运维人员管理，不能在此停用');
    const invalid = expectError(await admin.patch(`/accounts/${cadre.id}`, { disabled: 'yes' }), 400, 'VALIDATION_FAILED');
    expect(invalid.fields).toEqual({ disabled: '请选择启用或停用' });
  });
});
