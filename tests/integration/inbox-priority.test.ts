import type { CaseListItem, CrosscheckRunView, PriorityGroup, ResponseOf } from '@baoxue/shared';
import { ChildRegistry } from '../../server/src/modules/children/child-registry.service';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { createPupil, idNumberFor } from '../support/pupils';
import { csv, importRegistry, POVERTY_HEADER } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit } from '../support/tips';

type CasePage = ResponseOf<'casesList'>;
type DispatchItem = ResponseOf<'dispatchList'>['items'][number];

const HOUR = 3_600_000;

/** In list order: children of a priority group first, each part newest first (ids are time-ordered). */
function expectPriorityOrder(items: CaseListItem[]): void {
  const rank = (item: CaseListItem) => (item.child.priorityGroups.length ? 1 : 0);
  for (let i = 1; i < items.length; i++) {
    const [before, after] = [items[i - 1]!, items[i]!];
    expect({ before: before.child.name, after: after.child.name, ordered: rank(before) > rank(after) || before.id > after.id }).toEqual({
      before: before.child.name,
      after: after.child.name,
      ordered: true,
    });
  }
}

/**
 * BRIEF §4: children of a priority group are shown first — in a township's inbox, the county's
 * triage queue and the dispatch list — with their groups on the card, and the list pages by a
 * cursor that carries the priority, so paging across the boundary loses and repeats nothing.
 */
describe('priority groups first in the inbox, triage and dispatch lists', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let cadre: ApiClient;
  let leader: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    [supervisor, cadre, leader, admin] = await Promise.all(
      ['supervisor', 'township-cadre', 'township-leader', 'county-admin'].map((a) => signInAs(server, a)),
    );
  }, 30_000);
  afterAll(async () => server?.close());

  async function allCases(client: ApiClient, path: string, limit: number): Promise<CaseListItem[]> {
    const items: CaseListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: CasePage } = await client.get<CasePage>(
        `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** Every page size gives the same list: each case once, in the same order as one big page. */
  async function expectStablePaging(client: ApiClient, path: string): Promise<CaseListItem[]> {
    const whole = await allCases(client, path, 100);
    expect(new Set(whole.map((c) => c.id)).size).toBe(whole.length);
    expectPriorityOrder(whole);
    for (const limit of [1, 2, 3]) expect((await allCases(client, path, limit)).map((c) => c.id)).toEqual(whole.map((c) => c.id));
    return whole;
  }

  /** A pupil on the roster (of 吴明村, or of no known village), flagged as the registries flag children, then named in a tip. */
  async function tipAboutPupil(name: string, groups: PriorityGroup[], place: 'wuming' | 'unknown' = 'wuming') {
    const divisionCode = place === 'wuming' ? '411522101203' : null;
    const pupil = await createPupil(server.dataSource, { name, villageCode: divisionCode });
    if (groups.length)
      await server.dataSource.transaction((manager) => server.app.get(ChildRegistry).setPriorityGroups(manager, pupil.id, groups));
    const tip = await fileTip(supervisor, { divisionCode, child: { name, idNumber: pupil.idNumber } });
    expect(tip.status).toBe(201);
    return pupil;
  }

  /** The poverty list names the child; the cross-check flags the children on it. */
  async function flagPoorByCrosscheck(idNumber: string, name: string): Promise<void> {
    const imported = await importRegistry(server, admin, 'poverty', csv(POVERTY_HEADER, [[idNumber, name, '脱贫户', '']]), 'poverty.csv');
    expect(imported.status).toBe('completed');
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: 2026 });
    expect(started.status).toBe(201);
    await server.app.get(CrosscheckService).settled(started.body.id);
    expect((await admin.get<CrosscheckRunView>(`/crosscheck/runs/${started.body.id}`)).body.status).toBe('completed');
  }

  it('lists a township’s priority cases first, with their groups, and pages across the boundary', async () => {
    // filed interleaved, so newest-first alone would mix them
    await tipAboutPupil('普通甲', []);
    await tipAboutPupil('重点甲', ['registered_poor']);
    await tipAboutPupil('普通乙', []);
    await tipAboutPupil('重点乙', ['orphan', 'left_behind']);
    await fileTip(supervisor, { child: { name: '普通丙' } });
    await tipAboutPupil('重点丙', ['disabled']);
    await fileTip(supervisor, { child: { name: '普通丁' } });

    const inbox = await expectStablePaging(cadre, '/cases');
    const names = inbox.map((c) => c.child.name);
    expect(names.filter((n) => /^(重点|普通)/.test(n))).toEqual(['重点丙', '重点乙', '重点甲', '普通丁', '普通丙', '普通乙', '普通甲']);
    expect(inbox.find((c) => c.child.name === '重点乙')!.child.priorityGroups).toEqual(['orphan', 'left_behind']);
    expect(inbox.find((c) => c.child.name === '普通甲')!.child.priorityGroups).toEqual([]);
    // the county sees the same order over all its townships
    await expectStablePaging(admin, '/cases');
    // a cursor from before this order (the id alone) is refused in Chinese, not a 500
    const oldCursor = Buffer.from(JSON.stringify([inbox[0]!.id])).toString('base64url');
    expect(expectError(await cadre.get(`/cases?cursor=${oldCursor}`), 400, 'VALIDATION_FAILED').fields).toEqual({
      cursor: '分页参数不正确，请从第一页重新加载',
    });
  });

  it('moves a case up when its child is flagged poor after the case opened', async () => {
    const pupil = await tipAboutPupil('后来认定', []);
    const before = await allCases(leader, '/cases', 100);
    const firstOrdinary = before.findIndex((c) => c.child.priorityGroups.length === 0);
    expect(before.findIndex((c) => c.child.name === '后来认定')).toBeGreaterThanOrEqual(firstOrdinary);

    await flagPoorByCrosscheck(pupil.idNumber!, '后来认定');
    const after = await expectStablePaging(leader, '/cases');
    const moved = after.find((c) => c.child.name === '后来认定')!;
    expect(moved.child.priorityGroups).toEqual(['registered_poor']);
    // newest of the priority cases, so the first of the list
    expect(after[0]!.id).toBe(moved.id);
  });

  it('lists the county’s triage queue the same way', async () => {
    // no usable place: the tips wait in the county's queue
    await fileTip(supervisor, { divisionCode: null, child: { name: '待分派甲' } });
    const flagged = idNumberFor('2014-06-01');
    await fileTip(supervisor, { divisionCode: null, child: { name: '待分派乙', idNumber: flagged } });
    await tipAboutPupil('待分派丙', ['subsistence'], 'unknown');
    await fileTip(supervisor, { divisionCode: null, child: { name: '待分派丁' } });

    let triage = await expectStablePaging(admin, '/cases/triage');
    expect(triage.every((c) => c.townshipCode === null)).toBe(true);
    expect(triage.map((c) => c.child.name)).toEqual(['待分派丙', '待分派丁', '待分派乙', '待分派甲']);

    await flagPoorByCrosscheck(flagged, '待分派乙');
    triage = await expectStablePaging(admin, '/cases/triage');
    expect(triage.map((c) => c.child.name)).toEqual(['待分派丙', '待分派乙', '待分派丁', '待分派甲']);
    expect(triage[1]!.child.priorityGroups).toEqual(['registered_poor']);
  });

  it('puts priority cases first on the dispatch list, then the longest overdue, with their groups', async () => {
    // every case above waits for acceptance (24 hours); a day later all are overdue
    server.clock.advance(25 * HOUR);
    try {
      for (const [client, prioritised] of [
        [admin, ['重点甲', '重点乙', '后来认定', '待分派乙', '待分派丙']],
        [leader, ['重点甲', '重点乙', '后来认定']],
      ] as const) {
        const response = await client.get<ResponseOf<'dispatchList'>>('/dispatch');
        expect(response.status).toBe(200);
        const items = response.body.items;
        expect(items.length).toBeGreaterThan(5);
        const rank = (item: DispatchItem) => (item.priorityGroups.length ? 1 : 0);
        for (let i = 1; i < items.length; i++) {
          const [a, b] = [items[i - 1]!, items[i]!];
          expect(rank(a) > rank(b) || (rank(a) === rank(b) && a.dueAt <= b.dueAt)).toBe(true);
        }
        const ordinary = items.findIndex((item) => rank(item) === 0);
        expect(ordinary).toBeGreaterThan(0);
        expect(items.slice(0, ordinary).map((item) => item.childName)).toEqual(expect.arrayContaining([...prioritised]));
        expect(items.slice(ordinary).map((item) => item.childName)).toContain('普通甲');
        expect(items.find((item) => item.childName === '重点乙')!.priorityGroups).toEqual(['orphan', 'left_behind']);
      }
    } finally {
      server.clock.advance(-25 * HOUR);
    }
  });
});
