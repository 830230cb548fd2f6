import { addDays, chinaDay, startOfChinaDay, type DataQualityResponse, type DataQualityRuleResult } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { CaseEvent, CaseVisit, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { AttendanceDay } from '../../server/src/modules/children/attendance.entity';
import { School } from '../../server/src/modules/schools/school.entity';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, raiseTipLimit, SHILI, WUMING, ZHAIHE, ZHANGWEIZI } from '../support/tips';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const COUNTY = '411522000000';

/**
 * Issue 18 item 6: data-quality flags. Records are written straight into the tables with the times a
 * rule looks at (the API stamps visits and events with the server's clock); each rule is given records
 * that trip it and near-misses that must not (two visits in ten minutes, visits half an hour apart, an
 * excused absence, an absence a week away, a visit dated on the opening day, another township's work
 * a China day later though the same UTC day). The county sees exactly the flagged records, a
 * township leader those of their township, another county none; bad periods answer 400.
 */
describe('data-quality flags', () => {
  let server: TestServer;
  let admin: ApiClient;
  let leader: ApiClient;
  /** Every child's name given in a tip: no flag may carry one. */
  const names: string[] = [];
  /** The day most records are entered on: ten days before the test clock's today. */
  let base: string;
  let today: string;
  const ids: Record<string, string> = {};
  const cases: Record<string, string> = {};
  const caseNumbers: Record<string, string> = {};

  const manager = () => server.dataSource.manager;
  /** An instant of a China day: `hours` after its midnight in UTC+8. */
  const at = (day: string, hours: number) => new Date(startOfChinaDay(day).getTime() + hours * HOUR);

  async function openCase(client: ApiClient, village: string, name: string): Promise<string> {
    const response = await fileTip(client, { divisionCode: village, child: { name, sex: 'male', age: 12 } });
    expect(response.status).toBe(201);
    names.push(name);
    return (await manager().findOneByOrFail(Tip, { id: response.body.tip.id })).caseId;
  }

  async function visit(key: string, caseId: string, actorId: string, visitedOn: string, recordedAt: Date): Promise<void> {
    ids[key] = newId();
    await manager().insert(CaseVisit, {
      id: ids[key],
      caseId,
      visitedOn,
      visitors: '包抓干部',
      met: '母亲',
      statedReason: '家里缺人手',
      commitments: null,
      outcome: 'agreed_to_return',
      recordedBy: actorId,
      recordedAt,
    });
  }

  async function event(key: string, caseId: string, actorId: string, kind: string, time: Date): Promise<void> {
    ids[key] = newId();
    await manager().insert(CaseEvent, { id: ids[key], caseId, at: time, actorId, kind, data: null });
  }

  async function absence(key: string, caseId: string, schoolId: string, day: string, excused: boolean): Promise<void> {
    const { childId } = await manager().findOneByOrFail(DropoutCase, { id: caseId });
    ids[key] = newId();
    await manager().insert(AttendanceDay, {
      id: ids[key],
      childId,
      schoolId,
      day,
      present: false,
      excused,
      source: 'roll_call',
      reason: excused ? 'sick' : 'unexcused',
      rollCallId: null,
      recordedBy: null,
      recordedAt: at(day, 9),
    });
  }

  async function flags(client: ApiClient, query = `?from=${addDays(today, -30)}&to=${today}`): Promise<DataQualityResponse> {
    const response = await client.get<DataQualityResponse>(`/data-quality${query}`);
    if (response.status !== 200) throw new Error(`data-quality: ${response.status} ${JSON.stringify(response.body)}`);
    for (const name of names) expect(JSON.stringify(response.body)).not.toContain(name);
    return response.body;
  }

  const ruleOf = (body: DataQualityResponse, code: string): DataQualityRuleResult => body.rules.find((rule) => rule.code === code)!;
  /** The ids of the first item of each record: the visit, return or 销号 the flag is about. */
  const flagged = (rule: DataQualityRuleResult) => rule.records.map((record) => record.items[0]!.id).sort();

  beforeAll(async () => {
    server = await startTestServer();
    await raiseTipLimit(server.dataSource);
    today = chinaDay(server.clock.now());
    base = addDays(today, -10);
    const supervisor = await signInAs(server, 'supervisor');
    for (const key of ['s1', 's2', 's3', 's4']) cases[key] = await openCase(supervisor, WUMING, `十里${key}号童`);
    for (const key of ['z1', 'z2']) cases[key] = await openCase(supervisor, ZHANGWEIZI, `寨河${key}号童`);
    // every case opened five days before the base day, at 09:00 China time
    for (const caseId of Object.values(cases)) await manager().update(DropoutCase, { id: caseId }, { openedAt: at(addDays(base, -5), 9) });
    for (const [key, caseId] of Object.entries(cases))
      caseNumbers[key] = (await manager().findOneByOrFail(DropoutCase, { id: caseId })).caseNumber;
    const cadre = (name: string, unit = SHILI) =>
      createUser(server.dataSource, { role: 'official', position: 'cadre', unitDivisionCode: unit, countyCode: COUNTY, displayName: name });
    const [a, b, c, d, e, zhaihe] = await Promise.all([
      cadre('包抓干部甲'),
      cadre('包抓干部乙'),
      cadre('包抓干部丙'),
      cadre('包抓干部丁'),
      cadre('包抓干部戊'),
      cadre('寨河镇干部', ZHAIHE),
    ]);
    const leaderUser = await manager().findOneByOrFail(User, { demoAccount: 'township-leader' });
    const school = (await manager().findOneByOrFail(School, { name: '光山县十里镇中心小学' })).id;

    // rule 1: 甲 logs three visits within nine minutes (flagged), a fourth twelve minutes after the third (not);
    // 乙 two within five minutes, 丙 three half an hour apart (neither)
    await visit('a1', cases.s1!, a.id, base, at(base, 10));
    await visit('a2', cases.s2!, a.id, base, new Date(at(base, 10).getTime() + 4 * MINUTE));
    await visit('a3', cases.s1!, a.id, base, new Date(at(base, 10).getTime() + 9 * MINUTE));
    await visit('a4', cases.s2!, a.id, base, new Date(at(base, 10).getTime() + 21 * MINUTE));
    await visit('b1', cases.s1!, b.id, base, at(base, 11));
    await visit('b2', cases.s2!, b.id, base, new Date(at(base, 11).getTime() + 5 * MINUTE));
    for (const [i, minutes] of [0, 30, 60].entries())
      await visit(`c${i}`, cases.s3!, c.id, base, new Date(at(base, 14).getTime() + minutes * MINUTE));

    // rule 2: s2 closed the day after the base day, its child absent without leave on the base day (flagged),
    // excused two days after, absent four days before (outside the week); s4 closed with only an excused
    // absence in the week and one without leave five days after (not flagged)
    const closedAt = at(addDays(base, 1), 10);
    for (const key of ['s2', 's4'])
      await manager().update(
        DropoutCase,
        { id: cases[key]! },
        { status: 'closed', returnedOn: addDays(base, -3), closedAt, openChildId: null },
      );
    await event('close2', cases.s2!, leaderUser.id, 'closed', closedAt);
    await event('close4', cases.s4!, leaderUser.id, 'closed', closedAt);
    await absence('abs2', cases.s2!, school, base, false);
    await absence('abs2excused', cases.s2!, school, addDays(base, 3), true);
    await absence('abs2far', cases.s2!, school, addDays(base, -4), false);
    await absence('abs4excused', cases.s4!, school, addDays(base, 2), true);
    await absence('abs4far', cases.s4!, school, addDays(base, 6), false);

    // rule 3: 丁 logs a visit of s3 dated two days before it opened (flagged) and one dated on its opening day (not);
    // z1 returned a day before it opened (flagged, in 寨河镇); s1's return after its opening (not)
    await visit('d1', cases.s3!, d.id, addDays(base, -7), at(base, 16));
    await visit('d2', cases.s3!, d.id, addDays(base, -5), at(base, 17));
    await manager().update(DropoutCase, { id: cases.z1! }, { status: 'returned', returnedOn: addDays(base, -6) });
    await event('return1', cases.z1!, zhaihe.id, 'returned', at(base, 18));
    await manager().update(DropoutCase, { id: cases.s1! }, { status: 'returned', returnedOn: addDays(base, -2) });
    await event('returnS1', cases.s1!, leaderUser.id, 'returned', at(base, 18));

    // rule 4: 戊 logs a visit of s1 dated two days after the base day, when it accepted z2 of 寨河镇 at 08:00 (flagged);
    // a visit dated the next day, when its work in 寨河镇 was at 00:30 of the day after — the same UTC day (not)
    await visit('e1', cases.s1!, e.id, addDays(base, 2), at(addDays(base, 2), 20));
    await event('e1elsewhere', cases.z2!, e.id, 'accepted', at(addDays(base, 2), 8));
    await visit('e2', cases.s1!, e.id, addDays(base, 3), at(addDays(base, 3), 20));
    await event('e2elsewhere', cases.z2!, e.id, 'note_added', at(addDays(base, 4), 0.5));

    admin = await signInAs(server, 'county-admin');
    leader = await signInAs(server, 'township-leader');
  }, 120_000);
  afterAll(async () => server?.close());

  it('flags exactly the records each rule names, with the rule and its records named, for the county', async () => {
    const body = await flags(admin);
    expect(body.unitName).toContain('光山县');
    expect(body.rules.map((rule) => rule.code)).toEqual([
      'visit_burst',
      'closed_while_absent',
      'dated_before_opening',
      'visits_elsewhere_same_day',
    ]);
    for (const rule of body.rules) {
      expect(rule.title).toMatch(/[\u4e00-\u9fa5]/);
      expect(rule.rule).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(ruleOf(body, 'visit_burst').rule).toContain('10 分钟内');

    const burst = ruleOf(body, 'visit_burst');
    expect({ total: burst.total, flagged: flagged(burst) }).toEqual({ total: 3, flagged: [ids.a1, ids.a2, ids.a3].sort() });
    expect(new Set(burst.records.map((record) => record.actorName))).toEqual(new Set(['包抓干部甲']));
    expect(burst.records.map((record) => record.caseNumber).sort()).toEqual([caseNumbers.s1, caseNumbers.s1, caseNumbers.s2].sort());

    const closed = ruleOf(body, 'closed_while_absent');
    expect(closed.total).toBe(1);
    const [closure] = closed.records;
    expect({ caseId: closure!.caseId, caseNumber: closure!.caseNumber, actor: closure!.actorName }).toEqual({
      caseId: cases.s2,
      caseNumber: caseNumbers.s2,
      actor: '王志强',
    });
    expect(closure!.items.map((item) => [item.kind, item.id, item.day])).toEqual([
      ['close', ids.close2, addDays(base, 1)],
      ['absence', ids.abs2, base],
    ]);

    const dated = ruleOf(body, 'dated_before_opening');
    expect({ total: dated.total, flagged: flagged(dated) }).toEqual({ total: 2, flagged: [ids.d1, ids.return1].sort() });
    const early = dated.records.find((record) => record.items[0]!.id === ids.d1)!;
    expect(early.items.map((item) => [item.kind, item.day])).toEqual([
      ['visit', addDays(base, -7)],
      ['opened', addDays(base, -5)],
    ]);
    expect(early.actorName).toBe('包抓干部丁');
    const returned = dated.records.find((record) => record.items[0]!.id === ids.return1)!;
    expect([returned.caseNumber, returned.items[0]!.kind, returned.items[0]!.day, returned.townshipName]).toEqual([
      caseNumbers.z1,
      'return',
      addDays(base, -6),
      '寨河镇',
    ]);

    const elsewhere = ruleOf(body, 'visits_elsewhere_same_day');
    expect({ total: elsewhere.total, flagged: flagged(elsewhere) }).toEqual({ total: 1, flagged: [ids.e1] });
    const [cross] = elsewhere.records;
    expect(cross!.actorName).toBe('包抓干部戊');
    expect(cross!.townshipName).toBe('十里镇');
    expect(cross!.items.slice(1).map((item) => [item.kind, item.id, item.caseId, item.caseNumber, item.townshipName])).toEqual([
      ['activity', ids.e1elsewhere, cases.z2, caseNumbers.z2, '寨河镇'],
    ]);
  });

  it('pages a rule and filters by rule and period', async () => {
    const only = await flags(admin, `?rule=visit_burst&from=${addDays(today, -30)}&to=${today}`);
    expect(only.rules.map((rule) => rule.code)).toEqual(['visit_burst']);
    const second = await flags(admin, `?rule=visit_burst&page=2&from=${addDays(today, -30)}&to=${today}`);
    expect(second.rules[0]).toMatchObject({ total: 3, page: 2, records: [] });
    // a period ending before the base day holds none of the records
    const before = await flags(admin, `?from=${addDays(base, -20)}&to=${addDays(base, -1)}`);
    expect(before.rules.map((rule) => rule.total)).toEqual([0, 0, 0, 0]);
    // the default period is the last 30 days
    const recent = await flags(admin, '');
    expect([recent.from, recent.to]).toEqual([addDays(today, -29), today]);
    expect(ruleOf(recent, 'visit_burst').total).toBe(3);
  });

  it('shows a township leader the flags of their township only, and another county none', async () => {
    const body = await flags(leader);
    expect(body.rules.map((rule) => rule.total)).toEqual([3, 1, 1, 1]);
    expect(flagged(ruleOf(body, 'dated_before_opening'))).toEqual([ids.d1]);
    // the other township's work is named by township, not as a case the leader cannot open
    const [cross] = ruleOf(body, 'visits_elsewhere_same_day').records;
    expect(cross!.items[1]).toMatchObject({ kind: 'activity', caseId: null, caseNumber: null, townshipName: '寨河镇' });
    expect(JSON.stringify(body)).not.toContain(caseNumbers.z1!);
    expect(JSON.stringify(body)).not.toContain(caseNumbers.z2!);

    await seedOtherCounty(server.dataSource);
    const other = await clientFor(
      server,
      await createUser(server.dataSource, { role: 'county_admin', countyCode: OTHER_COUNTY.code, displayName: '罗山县教育局' }),
    );
    const elsewhere = await flags(other);
    expect(elsewhere.rules.map((rule) => rule.total)).toEqual([0, 0, 0, 0]);
    expect(elsewhere.rules.flatMap((rule) => rule.records)).toEqual([]);
  });

  it('refuses other roles and bad periods with the field named in Chinese', async () => {
    for (const account of ['township-cadre', 'village-cadre', 'school-staff', 'supervisor', 'parent']) {
      const response = await (await signInAs(server, account)).get('/data-quality');
      expect(response.status).toBe(403);
    }
    const reversed = expectError(await admin.get('/data-quality?from=2026-12-10&to=2026-12-01'), 400, 'VALIDATION_FAILED');
    expect(reversed.fields.to).toMatch(/[\u4e00-\u9fa5]/);
    expect(expectError(await admin.get('/data-quality?from=2026-02-30'), 400, 'VALIDATION_FAILED').fields.from).toMatch(/日期/);
    expect(expectError(await admin.get('/data-quality?rule=nonsense'), 400, 'VALIDATION_FAILED').fields).toHaveProperty('rule');
    expect(expectError(await admin.get('/data-quality?page=0'), 400, 'VALIDATION_FAILED').fields).toHaveProperty('page');
    // a start after today's default end is a reversed period too
    expect(expectError(await admin.get(`/data-quality?from=${addDays(today, 5)}`), 400, 'VALIDATION_FAILED').fields).toHaveProperty('to');
  });
});
