import { idNumberCheckCharacter, type StatsResponse } from '@baoxue/shared';
import { DropoutCase } from '../../server/src/modules/cases/case.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { ChildRegistry } from '../../server/src/modules/children/child-registry.service';
import { EnrolmentTallyChange } from '../../server/src/modules/registry/registry.entities';
import { signInAs, type ApiClient } from '../support/api';
import { importRegistry, ROSTER_HEADER, xlsx } from '../support/registry';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip } from '../support/tips';
import { Tip } from '../../server/src/modules/tips/tip.entity';

const SCHOOL = '光山县十里镇中心小学';
const VILLAGE = '411522101203';

function id(first17: string): string {
  return first17 + idNumberCheckCharacter(first17);
}

const PUPILS = [
  { id: id('41152220180301124'), name: '周小雨', sex: '女', grade: '二年级' },
  { id: id('41152220170712233'), name: '吴天佑', sex: '男', grade: '3' },
  { id: id('41152220120915345'), name: '郑一鸣', sex: '男', grade: '初二' },
];

describe('dropout statistics over the enrolment tallies', () => {
  let server: TestServer;
  let admin: ApiClient;

  const totals = async (): Promise<StatsResponse['total']> => {
    const response = await admin.get<StatsResponse>('/stats/dropout?schoolYear=2026&by=township');
    expect(response.status).toBe(200);
    return response.body.total;
  };
  const pupil = (index: number) => server.dataSource.manager.findOneByOrFail(Child, { studentNumber: `G${PUPILS[index]!.id}` });
  const pendingChanges = () => server.dataSource.manager.count(EnrolmentTallyChange);

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
  });
  afterAll(async () => server?.close());

  it('count the pupils an import wrote, and count again after any write to a pupil, whatever code made it', async () => {
    const before = await totals();
    const rows = PUPILS.map((p) => [`G${p.id}`, p.name, p.sex, p.id, SCHOOL, p.grade, '', '否', VILLAGE, '', '', '']);
    expect(await importRegistry(server, admin, 'roster', await xlsx(ROSTER_HEADER, rows))).toMatchObject({
      status: 'completed',
      errors: [],
    });
    const imported = await totals();
    expect(imported.primary.enrolled).toBe(before.primary.enrolled + 2);
    expect(imported.junior.enrolled).toBe(before.junior.enrolled + 1);
    expect(await pendingChanges()).toBe(0);

    // a query-builder update (how flags and transfers write)
    const second = await pupil(1);
    await server.dataSource.manager.update(Child, { id: second.id }, { grade: 7 });
    const moved = await totals();
    expect(moved.primary.enrolled).toBe(imported.primary.enrolled - 1);
    expect(moved.junior.enrolled).toBe(imported.junior.enrolled + 1);

    await server.dataSource.manager.update(Child, { id: second.id }, { priorityGroups: ['registered_poor'] });
    expect((await totals()).poor.enrolled).toBe(moved.poor.enrolled + 1);

    // an entity save (how a tip completes what was known of a child)
    const first = await pupil(0);
    first.grade = 9;
    await server.dataSource.manager.save(first);
    const saved = await totals();
    expect(saved.primary.enrolled).toBe(moved.primary.enrolled - 1);
    expect(saved.junior.enrolled).toBe(moved.junior.enrolled + 1);

    await server.dataSource.manager.delete(Child, { id: (await pupil(2)).id });
    expect((await totals()).junior.enrolled).toBe(saved.junior.enrolled - 1);
  });

  it('read the tallies as they stand until a counted field of a pupil changes', async () => {
    const truth = await totals();
    const manager = server.dataSource.manager;
    const [{ n: rows }] = (await manager.query(
      "SELECT COUNT(*) AS n FROM enrolment_tallies WHERE county_code = '411522000000' AND grade BETWEEN 7 AND 9",
    )) as [{ n: number | string }];
    expect(Number(rows)).toBeGreaterThan(0);
    // altered behind the product's back: the statistics read the tallies, not the pupils
    await manager.query('UPDATE enrolment_tallies SET pupils = pupils + 1000 WHERE grade BETWEEN 7 AND 9');
    expect((await totals()).junior.enrolled).toBe(truth.junior.enrolled + 1000 * Number(rows));
    // a class name is not counted: nothing to recount
    await manager.update(Child, { id: (await pupil(0)).id }, { className: '3班' });
    expect(await pendingChanges()).toBe(0);
    expect((await totals()).junior.enrolled).toBe(truth.junior.enrolled + 1000 * Number(rows));
    // a grade is: counted again from the pupils
    await manager.update(Child, { id: (await pupil(0)).id }, { grade: 8 });
    expect(await pendingChanges()).toBe(1);
    expect(await totals()).toEqual(truth);
    expect(await pendingChanges()).toBe(0);
  });

  it('leave nothing to recount for a child no roster knows, or for a write that was rolled back', async () => {
    await server.dataSource.transaction((manager) =>
      server.app.get(ChildRegistry).resolve(
        manager,
        {
          name: '无学籍',
          sex: 'male',
          birthYear: 2014,
          birthYearExact: false,
          birthDate: null,
          idNumber: null,
          studentNumber: null,
          villageCode: VILLAGE,
          schoolId: null,
          grade: null,
          countyCode: null,
        },
        'tip',
      ),
    );
    expect(await pendingChanges()).toBe(0);
    const first = await pupil(0);
    await expect(
      server.dataSource.transaction(async (manager) => {
        await manager.update(Child, { id: first.id }, { grade: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await pendingChanges()).toBe(0);
    expect((await pupil(0)).grade).toBe(8);
  });

  it('count returned cases, the median days to return and the causes of the school year', async () => {
    const supervisor = await signInAs(server, 'supervisor');
    const opened: string[] = [];
    for (const name of ['统计甲', '统计乙', '统计丙']) {
      const response = await fileTip(supervisor, { child: { name, age: 10 } });
      expect(response.status).toBe(201);
      opened.push((await server.dataSource.manager.findOneByOrFail(Tip, { id: response.body.tip.id })).caseId);
    }
    const before = (await admin.get<StatsResponse>('/stats/dropout?schoolYear=2026')).body.cases;
    const set = (id: string, values: Partial<DropoutCase>) => server.dataSource.manager.update(DropoutCase, { id }, values);
    await set(opened[0]!, {
      status: 'returned',
      openedAt: new Date('2026-09-10T02:00:00Z'),
      returnedOn: '2026-09-20',
      causes: ['poverty', 'learning_difficulty'],
    });
    await set(opened[1]!, { status: 'closed', openedAt: new Date('2026-09-10T02:00:00Z'), returnedOn: '2026-10-10', causes: ['poverty'] });
    await set(opened[2]!, { openedAt: new Date('2026-10-01T02:00:00Z'), causes: ['distance'] });
    const after = (await admin.get<StatsResponse>('/stats/dropout?schoolYear=2026')).body.cases;
    expect(after.returned).toBe(before.returned + 2);
    expect(before.returned).toBe(0); // the demo county has no case returned this school year
    expect(after.medianDaysToReturn).toBe(20); // 10 and 30 days
    const count = (figures: StatsResponse['cases'], cause: string) => figures.byCause.find((c) => c.cause === cause)!.count;
    expect(count(after, 'poverty')).toBe(count(before, 'poverty') + 2);
    expect(count(after, 'learning_difficulty')).toBe(count(before, 'learning_difficulty') + 1);
    expect(count(after, 'distance')).toBe(count(before, 'distance') + 1);
  });
});
