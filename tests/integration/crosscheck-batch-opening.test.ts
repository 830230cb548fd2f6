import { ancestorDivisionCode, idNumberCheckCharacter, type CrosscheckRunView } from '@baoxue/shared';
import { In, IsNull, Like, Not } from 'typeorm';
import { CaseEvent, CaseRouting, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { nameKeyOf } from '../../server/src/modules/children/child-matching';
import { Child } from '../../server/src/modules/children/child.entity';
import { InboxMessage, OutboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { CrosscheckService } from '../../server/src/modules/registry/crosscheck.service';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser } from '../support/factories';
import { csv, HOUSEHOLD_HEADER, importRegistry } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, WUMING, ZHANGWEIZI, type TipResponse } from '../support/tips';

const COUNTY = '411522000000';
const SCHOOL_YEAR = 2026;
/** More than two transactions' worth of cases (CASES_PER_TRANSACTION is 500). */
const CHILDREN = 1_100;
const SURNAMES = [...'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜'];
const GIVEN = [...'嘉懿煜城轩烨伟苑博泽熠彤鸿煊涛霖华祺智宸正豪昊然明杰立诚辉峻熙弘文睿翔宇'];

interface HouseholdChild {
  idNumber: string;
  name: string;
  village: string;
  /** Age on 31 August before the school year (what a tip states). */
  age: number;
}

/** Children of school age on no roster, each a different name, half in 吴明村 (十里镇, with officials), half in 张围孜村. */
function householdChildren(): HouseholdChild[] {
  return Array.from({ length: CHILDREN }, (_, i) => {
    const age = 7 + (i % 8);
    const first17 = `411522${SCHOOL_YEAR - age}0${1 + (i % 9)}1${String(i % 9)}${String(100 + (i % 900)).padStart(3, '0')}`;
    const name = `${SURNAMES[i % SURNAMES.length]}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}${GIVEN[(i * 7 + 3) % GIVEN.length]}`;
    return { idNumber: first17 + idNumberCheckCharacter(first17), name, village: i % 2 ? ZHANGWEIZI : WUMING, age };
  });
}

/**
 * The cross-check opens its cases in batches (CaseBatchOpening): the same rows and the same
 * guarantees as a tip's case one at a time. On MariaDB the tips really race the run on their own
 * connections; SQLite runs one transaction at a time.
 */
describe('the cross-check opening its cases in batches', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisors: ApiClient[];
  let children: HouseholdChild[];

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    admin = await signInAs(server, 'county-admin');
    supervisors = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        clientFor(
          server,
          await createUser(server.dataSource, {
            role: 'supervisor',
            countyCode: COUNTY,
            unitDivisionCode: WUMING,
            displayName: `比对监督员${i}`,
          }),
        ),
      ),
    );
    children = householdChildren();
    expect(new Set(children.map((c) => nameKeyOf(c.name))).size).toBe(CHILDREN);
    const imported = await importRegistry(
      server,
      admin,
      'household',
      csv(
        HOUSEHOLD_HEADER,
        children.map((c) => [c.idNumber, c.name, c.village, '', '']),
      ),
      'household.csv',
    );
    expect(imported).toMatchObject({ status: 'completed', errors: [], created: CHILDREN });
  }, 120_000);
  afterAll(async () => server?.close());

  const manager = () => server.dataSource.manager;
  const tipAbout = (i: number, child: { name: string; age: number; idNumber?: string; sex?: 'male' | 'female' }): Promise<TipResponse> =>
    fileTip(supervisors[i % supervisors.length]!, { divisionCode: WUMING, child: { sex: 'male', ...child } });
  const sexOf = (idNumber: string) => (Number(idNumber[16]) % 2 ? ('male' as const) : ('female' as const));

  it('joins the open case of a tip, opens one case for every other child, and tells the township as a tip’s case does', async () => {
    const inWuming = children.filter((c) => c.village === WUMING);
    // reported before the run, with the ID number: the run must find this case and leave it alone
    const first = inWuming[0]!;
    const earlier = await tipAbout(0, { name: first.name, age: first.age, idNumber: first.idNumber, sex: sexOf(first.idNumber) });
    expect(earlier.status).toBe(201);
    const tipCase = await manager().findOneByOrFail(DropoutCase, {
      id: (await manager().findOneByOrFail(Tip, { id: earlier.body.tip.id })).caseId!,
    });

    // while the run works, ten supervisors report more of these children, one after another until it
    // has finished: every other one with the ID number, the others by name and age only
    const started = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: SCHOOL_YEAR });
    expect(started.status).toBe(201);
    let finished = false;
    const settled = server.app
      .get(CrosscheckService)
      .settled(started.body.id)
      .finally(() => (finished = true));
    const racing = inWuming.slice(1);
    const tips: TipResponse[] = [];
    let next = 0;
    await Promise.all(
      supervisors.map(async (_, worker) => {
        for (let i = next++; !finished && i < racing.length; i = next++) {
          const c = racing[i]!;
          const id = i % 2 === 0 ? { idNumber: c.idNumber, sex: sexOf(c.idNumber) } : {};
          tips.push(await tipAbout(worker, { name: c.name, age: c.age, ...id }));
        }
      }),
    );
    await settled;
    const run = (await admin.get<CrosscheckRunView>(`/crosscheck/runs/${started.body.id}`)).body;
    expect(tips.length).toBeGreaterThan(0);
    expect(tips.map((t) => t.status)).toEqual(tips.map(() => 201));
    expect(run).toMatchObject({ status: 'completed', error: null });

    // one record and one open case per child, whoever came first
    const named = await manager().findBy(Child, { nameKey: In(children.map((c) => nameKeyOf(c.name))) });
    const openCases = await manager().findBy(DropoutCase, { childId: In(named.map((c) => c.id)), openChildId: Not(IsNull()) });
    const found = children.map((c) => {
      const key = nameKeyOf(c.name);
      const records = named.filter((r) => r.idNumber === c.idNumber || (r.nameKey === key && r.villageCode === c.village));
      return { child: c.name, records: records.length, open: openCases.filter((o) => records.some((r) => r.id === o.childId)).length };
    });
    expect(found.filter((f) => f.records !== 1 || f.open !== 1)).toEqual([]);
    // the earlier tip's case was joined, not touched
    expect(await manager().findOneByOrFail(DropoutCase, { id: tipCase.id })).toMatchObject({ version: tipCase.version, tipCount: 1 });
    expect(await manager().countBy(DropoutCase, { childId: tipCase.childId })).toBe(1);

    // the summary is a count of what was written
    const opened = await manager().findBy(DropoutCase, { source: 'cross_check' });
    expect(run.counts).toMatchObject({ householdChecked: CHILDREN, matchedById: 0, matchedByName: 0, review: 0 });
    expect(run.counts.notEnrolled).toBe(opened.length);
    expect(run.counts.notEnrolled + run.counts.alreadyFollowed).toBe(CHILDREN);
    expect(run.counts.alreadyFollowed).toBeGreaterThanOrEqual(1);
    expect(run.counts.notEnrolled).toBeGreaterThanOrEqual(CHILDREN - tips.length - 1);
    const ids = opened.map((c) => c.id);
    // a racing tip that came after the run adds its own events to the run's case
    const events = await manager().findBy(CaseEvent, { caseId: In(ids), kind: In(['opened', 'routed']) });
    const routings = await manager().findBy(CaseRouting, { caseId: In(ids) });
    expect(events).toHaveLength(2 * opened.length);
    expect(routings).toHaveLength(opened.length);
    const villageOf = new Map(children.map((c) => [c.idNumber, c.village]));
    const records = new Map((await manager().findBy(Child, { id: In(opened.map((c) => c.childId)) })).map((c) => [c.id, c]));
    for (const c of opened) {
      const village = villageOf.get(records.get(c.childId)!.idNumber!)!;
      expect(c).toMatchObject({
        status: 'reported',
        townshipCode: ancestorDivisionCode(village, 'township'),
        villageCode: village,
        routingCode: village,
        dueKind: 'accept',
        openChildId: c.childId,
      });
      expect(
        events
          .filter((e) => e.caseId === c.id)
          .map((e) => [e.kind, e.data])
          .sort(),
      ).toEqual([
        ['opened', { source: 'cross_check' }],
        ['routed', { townshipCode: c.townshipCode, rule: 'village' }],
      ]);
    }

    // each case's township and village are told exactly as of the tip's case in the same village
    const caseOf = (dedupeKey: string) => dedupeKey.split(':')[1]!;
    const inbox = groupBy(await manager().findBy(InboxMessage, { dedupeKey: Like('case-routed:%') }), (m) => caseOf(m.dedupeKey));
    const outbox = groupBy(await manager().findBy(OutboxMessage, { dedupeKey: Like('case-routed:%') }), (m) => caseOf(m.dedupeKey));
    const told = inbox.get(tipCase.id) ?? [];
    expect(told.length).toBeGreaterThan(0);
    const perVillage = new Map([
      [WUMING, told.length],
      [ZHANGWEIZI, await recipientsOf(ZHANGWEIZI)],
    ]);
    for (const c of opened) {
      const messages = inbox.get(c.id) ?? [];
      expect({ case: c.id, messages: messages.length }).toEqual({ case: c.id, messages: perVillage.get(c.villageCode!) });
      expect((outbox.get(c.id) ?? []).length).toBe(messages.length * ((outbox.get(tipCase.id) ?? []).length / told.length));
      if (c.villageCode !== WUMING) continue;
      expect(messages.map((m) => [m.userId, m.title, m.body, m.link]).sort()).toEqual(
        // each names its own case (its number and link), and is announced as a cross-check finding, not a tip
        told
          .map((m) => [
            m.userId,
            m.title === '新的疑似辍学线索' ? '四查三比对发现疑似失学辍学儿童' : m.title,
            m.body.replace(tipCase.caseNumber, c.caseNumber),
            m.link?.replace(tipCase.id, c.id),
          ])
          .sort(),
      );
    }
  }, 120_000);

  it('opens nothing more when run again, and the second summary says so', async () => {
    const before = await manager().count(DropoutCase);
    const again = await admin.post<CrosscheckRunView>('/crosscheck/runs', { schoolYear: SCHOOL_YEAR });
    await server.app.get(CrosscheckService).settled(again.body.id);
    const run = (await admin.get<CrosscheckRunView>(`/crosscheck/runs/${again.body.id}`)).body;
    expect(run.counts).toMatchObject({ householdChecked: CHILDREN, notEnrolled: 0, alreadyFollowed: CHILDREN });
    expect(await manager().count(DropoutCase)).toBe(before);
  }, 60_000);

  function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
    const groups = new Map<string, T[]>();
    for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
    return groups;
  }

  /** How many officials a case in this village tells: the leaders and cadres of its township and of itself. */
  async function recipientsOf(village: string): Promise<number> {
    const [row] = await manager().query(
      "SELECT COUNT(*) AS n FROM users WHERE role = 'official' AND position IN ('leader', 'cadre') AND disabled = 0 AND unit_division_code IN (?, ?)",
      [ancestorDivisionCode(village, 'township'), village],
    );
    return Number((row as { n: number | string }).n);
  }
});
