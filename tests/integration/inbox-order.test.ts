import type { CaseDetail, CaseListItem, CrosscheckRunView, PriorityGroup, ResponseOf, TransferView } from '@baoxue/shared';
import { ChildRegistry } from '../../server/src/modules/children/child-registry.service';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { createPupil, idNumberFor, schoolByName, DEMO_SCHOOL } from '../support/pupils';
import { csv, HOUSEHOLD_HEADER, importRegistry } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

type CasePage = ResponseOf<'casesList'>;

const HOUR = 3_600_000;
const COUNTY = '411522000000';

/**
 * The inbox read along its indexes (issue 19): each scope — the county, a township, a village, a
 * school, the triage queue — lists exactly the cases the scope rule gives (a routing-code prefix or
 * the school), priority groups first and then newest, pages by a keyset cursor without gaps or
 * repeats at any page size, and counts what is overdue. A county's or a township's scope is read on
 * columns the database derives from the routing code; re-routing a case (by the county, handed back
 * to triage, transferred, opened by a cross-check) must move it between inboxes at once.
 */
describe('the inbox: order, keyset paging, scope and the overdue count', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let leader: ApiClient;
  let villageCadre: ApiClient;
  let zhaiheCadre: ApiClient;
  let schoolStaff: ApiClient;
  let admin: ApiClient;
  /** A village of 十里镇 other than 吴明村. */
  let otherShiliVillage: string;
  const caseOf = new Map<string, string>();

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [supervisor, leader, villageCadre, zhaiheCadre, schoolStaff, admin] = await Promise.all(
      ['supervisor', 'township-leader', 'village-cadre', 'zhaihe-cadre', 'school-staff', 'county-admin'].map((a) => signInAs(server, a)),
    );
    const [village] = (await server.dataSource.query(
      `SELECT code FROM divisions WHERE parent_code = '${SHILI}' AND code <> '${WUMING}' ORDER BY code LIMIT 1`,
    )) as Array<{ code: string }>;
    otherShiliVillage = village!.code;
  }, 60_000);
  afterAll(async () => server?.close());

  /** Every page of a list at `limit` cases a page, following the cursor; each page must be 200. */
  async function allPages(client: ApiClient, path: string, limit: number): Promise<CasePage[]> {
    const pages: CasePage[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CasePage } = await client.get<CasePage>(
        `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.nextCursor;
    } while (cursor);
    return pages;
  }

  /** The cases of a scope by the rule itself — a routing-code prefix, the school — in list order. */
  async function byRule(rule: { prefix: string } | { schoolId: string } | 'triage'): Promise<string[]> {
    const qb = server.dataSource.manager.createQueryBuilder(DropoutCase, 'c').select('c.id', 'id').where('c.merged_into_id IS NULL');
    if (rule === 'triage') qb.andWhere('c.township_code IS NULL AND c.routing_code = :county', { county: COUNTY });
    else if ('prefix' in rule) qb.andWhere('c.routing_code LIKE :prefix', { prefix: `${rule.prefix}%` });
    else qb.andWhere('c.school_id = :school', { school: rule.schoolId });
    const rows = await qb.orderBy('c.priority', 'DESC').addOrderBy('c.id', 'DESC').getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /** Of a scope's cases by the rule, those overdue now (open step past its deadline). */
  async function overdueByRule(prefix: string): Promise<number> {
    return server.dataSource.manager
      .createQueryBuilder(DropoutCase, 'c')
      .where('c.merged_into_id IS NULL AND c.routing_code LIKE :prefix AND c.due_at < :now', {
        prefix: `${prefix}%`,
        now: server.clock.now(),
      })
      .getCount();
  }

  /**
   * The list at every page size equals the scope's cases by the rule, in order: priority groups
   * first, each part newest first; each case once. Returns the list.
   */
  async function expectInbox(client: ApiClient, path: string, rule: Parameters<typeof byRule>[0]): Promise<CaseListItem[]> {
    const expected = await byRule(rule);
    const whole = (await allPages(client, path, 100)).flatMap((p) => p.items);
    expect(whole.map((c) => c.id)).toEqual(expected);
    for (const limit of [1, 2, 3, 5]) {
      const pages = await allPages(client, path, limit);
      const ids = pages.flatMap((p) => p.items.map((c) => c.id));
      expect(ids).toEqual(expected);
      expect(pages.every((p, i) => p.items.length === limit || i === pages.length - 1)).toBe(true);
    }
    const rank = (item: CaseListItem) => (item.child.priorityGroups.length ? 1 : 0);
    for (let i = 1; i < whole.length; i++) {
      const [before, after] = [whole[i - 1]!, whole[i]!];
      const ordered = rank(before) > rank(after) || (rank(before) === rank(after) && before.openedAt >= after.openedAt);
      expect({ before: before.child.name, after: after.child.name, ordered }).toEqual({
        before: before.child.name,
        after: after.child.name,
        ordered: true,
      });
    }
    return whole;
  }

  async function overdueCount(client: ApiClient, path = '/cases'): Promise<number> {
    const page = await client.get<CasePage>(`${path}?limit=1`);
    expect(page.status).toBe(200);
    return page.body.overdueCount;
  }

  async function ids(client: ApiClient, path = '/cases'): Promise<string[]> {
    return (await allPages(client, path, 100)).flatMap((p) => p.items.map((c) => c.id));
  }

  /** A tip about a child (on the roster when `pupil`), in a priority group when `groups`; records its case by `name`. */
  async function tip(
    name: string,
    divisionCode: string | null,
    options: { groups?: PriorityGroup[]; pupil?: boolean; school?: boolean } = {},
  ) {
    let idNumber: string | null = null;
    if (options.pupil || options.groups?.length) {
      const school = options.school ? await schoolByName(server.dataSource, DEMO_SCHOOL) : null;
      const pupil = await createPupil(server.dataSource, { name, villageCode: divisionCode, schoolId: school?.id ?? null });
      if (options.groups?.length)
        await server.dataSource.transaction((m) => server.app.get(ChildRegistry).setPriorityGroups(m, pupil.id, options.groups!));
      idNumber = pupil.idNumber;
    }
    const filed = await fileTip(supervisor, { divisionCode, child: { name, idNumber } });
    expect(filed.status).toBe(201);
    const [row] = (await server.dataSource.query('SELECT case_id AS id FROM tips WHERE id = ?', [filed.body.tip.id])) as Array<{
      id: string;
    }>;
    caseOf.set(name, row!.id);
  }

  it('lists each scope’s cases by its rule, priority groups first then newest, and pages without gaps or repeats', async () => {
    // filed interleaved across places and groups, so neither the order nor a scope falls out by itself
    await tip('吴明普通甲', WUMING);
    await tip('吴明重点甲', WUMING, { groups: ['registered_poor'] });
    await tip('十里普通乙', otherShiliVillage);
    await tip('寨河普通甲', ZHANGWEIZI);
    await tip('十里重点乙', otherShiliVillage, { groups: ['orphan'] });
    await tip('待分派甲', null);
    await tip('吴明在校丙', WUMING, { pupil: true, school: true });
    await tip('寨河重点乙', ZHANGWEIZI, { groups: ['left_behind', 'disabled'] });
    await tip('吴明普通丁', WUMING);
    await tip('十里普通戊', SHILI);
    await tip('待分派重点', null, { groups: ['subsistence'] });

    const county = await expectInbox(admin, '/cases', { prefix: '411522' });
    expect(county).toHaveLength(11);
    expect(county.map((c) => c.child.priorityGroups.length > 0)).toEqual([...Array(4).fill(true), ...Array(7).fill(false)]);
    const township = await expectInbox(leader, '/cases', { prefix: SHILI.slice(0, 9) });
    expect(township.map((c) => c.child.name).sort()).toEqual(
      ['十里普通乙', '十里普通戊', '十里重点乙', '吴明在校丙', '吴明普通丁', '吴明普通甲', '吴明重点甲'].sort(),
    );
    const village = await expectInbox(villageCadre, '/cases', { prefix: WUMING });
    expect(village.map((c) => c.child.name)).toEqual(['吴明重点甲', '吴明普通丁', '吴明在校丙', '吴明普通甲']);
    const zhaihe = await expectInbox(zhaiheCadre, '/cases', { prefix: ZHAIHE.slice(0, 9) });
    expect(zhaihe.map((c) => c.child.name)).toEqual(['寨河重点乙', '寨河普通甲']);
    const school = await schoolByName(server.dataSource, DEMO_SCHOOL);
    const schoolList = await expectInbox(schoolStaff, '/cases', { schoolId: school.id });
    expect(schoolList.map((c) => c.child.name)).toContain('吴明在校丙');
    const triage = await expectInbox(admin, '/cases/triage', 'triage');
    expect(triage.map((c) => c.child.name)).toEqual(['待分派重点', '待分派甲']);
    // the card: groups, names of the township and the roster school
    const pupil = township.find((c) => c.child.name === '吴明在校丙')!;
    expect(pupil).toMatchObject({
      townshipName: expect.any(String),
      child: { roster: { schoolName: DEMO_SCHOOL } },
      transferPending: false,
    });
    expect(zhaihe[0]!.child.priorityGroups).toEqual(['left_behind', 'disabled']);
  });

  it('refuses the inbox to callers without a unit’s scope, and the triage queue to all but the county', async () => {
    expectError(await supervisor.get('/cases'), 403, 'FORBIDDEN');
    expectError(await (await signInAs(server, 'parent')).get('/cases'), 403, 'FORBIDDEN');
    expectError(await leader.get('/cases/triage'), 403, 'FORBIDDEN');
  });

  it('counts each scope’s overdue cases, the same as the flags on its cards', async () => {
    for (const client of [admin, leader, villageCadre, zhaiheCadre]) expect(await overdueCount(client)).toBe(0);
    // every case waits for acceptance (24 hours): a day later all are overdue
    server.clock.advance(25 * HOUR);
    const scopes: Array<[ApiClient, string]> = [
      [admin, '411522'],
      [leader, SHILI.slice(0, 9)],
      [villageCadre, WUMING],
      [zhaiheCadre, ZHAIHE.slice(0, 9)],
    ];
    for (const [client, prefix] of scopes) {
      const count = await overdueCount(client);
      expect(count).toBe(await overdueByRule(prefix));
      expect(count).toBe((await allPages(client, '/cases', 3)).flatMap((p) => p.items).filter((c) => c.overdue).length);
    }
    expect(await overdueCount(leader)).toBe(7);
    // the count is the scope's, whatever the filters: also with a page that finds nothing
    const none = await leader.get<CasePage>(`/cases?limit=5&q=${encodeURIComponent('没有这个名字')}`);
    expect(none.body).toEqual({ items: [], nextCursor: null, overdueCount: 7 });
    const village = await villageCadre.get<CasePage>('/cases?limit=2&priorityGroup=registered_poor');
    expect(village.body.items.map((c) => c.child.name)).toEqual(['吴明重点甲']);
    expect(village.body.overdueCount).toBe(await overdueByRule(WUMING));
    // accepted, the case has a new deadline: no longer overdue
    const accepted = await leader.post<CaseDetail>(`/cases/${caseOf.get('十里普通戊')}/accept`, { assigneeId: null });
    expect(accepted.status).toBe(200);
    expect(await overdueCount(leader)).toBe(6);
    expect(await overdueCount(admin)).toBe(await overdueByRule('411522'));
  });

  it('moves a case routed by the county to another township out of the old inboxes at once', async () => {
    const id = caseOf.get('吴明普通甲')!;
    const routed = await admin.post(`/cases/${id}/route`, { townshipCode: ZHAIHE, reason: '孩子随父母搬到寨河镇' });
    expect(routed.status).toBe(200);
    expect(await ids(leader)).not.toContain(id);
    expect(await ids(villageCadre)).not.toContain(id);
    expect(await ids(zhaiheCadre)).toContain(id);
    await expectInbox(leader, '/cases', { prefix: SHILI.slice(0, 9) });
    await expectInbox(zhaiheCadre, '/cases', { prefix: ZHAIHE.slice(0, 9) });
    // it starts over there (a new deadline): neither township counts it overdue
    expect(await overdueCount(leader)).toBe(await overdueByRule(SHILI.slice(0, 9)));
    expect(await overdueCount(zhaiheCadre)).toBe(await overdueByRule(ZHAIHE.slice(0, 9)));
  });

  it('moves a case handed back to triage out of the township’s inbox into the county’s queue', async () => {
    const id = caseOf.get('十里普通乙')!;
    const returned = await leader.post(`/cases/${id}/return-to-triage`, { reason: '孩子不住在本乡镇' });
    expect(returned.status).toBe(200);
    expect(await ids(leader)).not.toContain(id);
    expect(await ids(admin, '/cases/triage')).toContain(id);
    await expectInbox(admin, '/cases/triage', 'triage');
    await expectInbox(leader, '/cases', { prefix: SHILI.slice(0, 9) });
    expect(await overdueCount(leader)).toBe(await overdueByRule(SHILI.slice(0, 9)));
  });

  it('shows a pending transfer on the card, and moves the case to the receiving township when accepted', async () => {
    const id = caseOf.get('寨河普通甲')!;
    const detail = (await zhaiheCadre.get<CaseDetail>(`/cases/${id}`)).body;
    const sent = await zhaiheCadre.post(`/cases/${id}/transfers`, {
      version: detail.version,
      toTownshipCode: SHILI,
      reason: '孩子在十里镇上学',
    });
    expect(sent.status).toBe(200);
    const waiting = (await allPages(zhaiheCadre, '/cases', 100)).flatMap((p) => p.items).find((c) => c.id === id)!;
    expect(waiting.transferPending).toBe(true);
    expect(await ids(leader)).not.toContain(id);

    const incoming = await leader.get<{ items: TransferView[] }>('/transfers/incoming');
    const transfer = incoming.body.items.find((t) => t.caseId === id)!;
    expect((await leader.post(`/transfers/${transfer.id}/accept`, { note: null })).status).toBe(200);
    expect(await ids(zhaiheCadre)).not.toContain(id);
    const shili = await expectInbox(leader, '/cases', { prefix: SHILI.slice(0, 9) });
    expect(shili.find((c) => c.id === id)).toMatchObject({ transferPending: false, townshipCode: SHILI });
    // placed at the township (the child's village is elsewhere): not in 吴明村's inbox
    expect(await ids(villageCadre)).not.toContain(id);
    await expectInbox(zhaiheCadre, '/cases', { prefix: ZHAIHE.slice(0, 9) });
  });

  it('drops a merged case from every list and count', async () => {
    const from = caseOf.get('吴明普通丁')!;
    const into = caseOf.get('吴明在校丙')!;
    const merged = await leader.post(`/cases/${from}/merge`, { intoCaseId: into, reason: '同一个孩子，线索中名字写法不同' });
    expect(merged.status).toBe(200);
    for (const client of [admin, leader, villageCadre]) expect(await ids(client)).not.toContain(from);
    await expectInbox(villageCadre, '/cases', { prefix: WUMING });
    expect(await overdueCount(villageCadre)).toBe(await overdueByRule(WUMING));
  });

  it('lists a case a cross-check opened in the inbox of the child’s village and township', async () => {
    const idNumber = idNumberFor('2015-05-20');
    const imported = await importRegistry(
      server,
      admin,
      'household',
      csv(HOUSEHOLD_HEADER, [[idNumber, '户籍未入学', otherShiliVillage, '户籍家长', '13800002222']]),
      'household.csv',
    );
    expect(imported.status).toBe('completed');
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
    expect(started.status).toBe(201);
    await server.app.get(CrosscheckService).settled(started.body.id);
    const opened = (await allPages(leader, '/cases', 100)).flatMap((p) => p.items).find((c) => c.child.name === '户籍未入学');
    expect(opened).toMatchObject({ source: 'cross_check', townshipCode: SHILI });
    expect(await ids(zhaiheCadre)).not.toContain(opened!.id);
    await expectInbox(leader, '/cases', { prefix: SHILI.slice(0, 9) });
  });

  it('keeps the scope columns equal to the routing code’s parts for every case, whatever moved it', async () => {
    const rows = (await server.dataSource.query(
      'SELECT routing_code AS code, routing_county AS county, routing_township AS township FROM cases',
    )) as Array<{ code: string; county: string; township: string }>;
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((r) => r.county !== r.code.slice(0, 6) || r.township !== r.code.slice(0, 9))).toEqual([]);
  });
});
