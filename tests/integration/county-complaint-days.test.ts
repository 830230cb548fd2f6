import type { ComplaintView, ResponseOf } from '@baoxue/shared';
import type { User } from '../../server/src/modules/accounts/user.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { clientFor, createUser, OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { createPupil, DEMO_SCHOOL, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';

const DAY = 24 * 3_600_000;
type Settings = ResponseOf<'countySettingsGet'>;
type ComplaintPage = { items: ComplaintView[]; overdueCount: number };

/**
 * Issue 15 item 7: the time the student-aid office has to answer a parent's complaint is the county's
 * own policy (时限与规则), no longer a server setting: a complaint in 光山县 (2 days) is overdue while
 * one raised the same minute in 罗山县 (the default 7 days) is not, and changing one county's rule
 * leaves the other's alone.
 */
describe('the complaint answer time is each county’s setting', () => {
  let server: TestServer;
  let guangshan: ApiClient;
  let luoshan: ApiClient;
  let luoshanAdmin: User;
  let parent: ApiClient;
  let guangshanChild: string;
  let luoshanChild: string;

  beforeAll(async () => {
    server = await startTestServer();
    const { schoolId: luoshanSchool } = await seedOtherCounty(server.dataSource);
    guangshan = await signInAs(server, 'county-admin');
    luoshanAdmin = await createUser(server.dataSource, {
      role: 'county_admin',
      unitDivisionCode: OTHER_COUNTY.code,
      countyCode: OTHER_COUNTY.code,
      displayName: '罗山县资助中心',
    });
    luoshan = await clientFor(server, luoshanAdmin);
    parent = await signInAs(server, 'parent');
    const pupils = [
      {
        office: guangshan,
        spec: { name: '孙光山', schoolId: (await schoolByName(server.dataSource, DEMO_SCHOOL)).id, bindingCode: 'DAYSGS01' },
      },
      {
        office: luoshan,
        spec: {
          name: '孙罗山',
          schoolId: luoshanSchool,
          countyCode: OTHER_COUNTY.code,
          villageCode: OTHER_COUNTY.village,
          bindingCode: 'DAYSLS01',
        },
      },
    ];
    const ids: string[] = [];
    for (const { office, spec } of pupils) {
      const child = await createPupil(server.dataSource, { ...spec, grade: 4, boarding: true });
      const bound = await parent.post('/children/bind', { bindingCode: spec.bindingCode, childName: spec.name, relation: 'mother' });
      expect(bound.status).toBe(200);
      const eligible = await office.request('PUT', '/subsidies/eligibility', {
        childId: child.id,
        schoolYear: 2023,
        category: 'registered_poor',
        boarding: true,
      });
      expect(eligible.status).toBe(200);
      ids.push(child.id);
    }
    [guangshanChild, luoshanChild] = ids as [string, string];
  });
  afterAll(async () => server?.close());

  const raise = async (childId: string) => {
    const raised = await parent.post<ComplaintView>('/subsidies/complaints', {
      childId,
      semester: '2024-spring',
      text: '这学期的生活补助还没有收到。',
    });
    expect(raised.status).toBe(201);
    return raised.body;
  };
  const settings = async (office: ApiClient) => (await office.get<Settings>('/county/settings')).body;

  it('starts every county at the default of 7 days and refuses what is not a number of days, naming the field', async () => {
    expect((await settings(guangshan)).complaintAnswerDays).toBe(7);
    expect((await settings(luoshan)).complaintAnswerDays).toBe(7);
    for (const value of [0, 61, 2.5, '3']) {
      const refused = expectError(
        await guangshan.request('PUT', '/county/settings', { complaintAnswerDays: value }),
        400,
        'VALIDATION_FAILED',
      );
      expect(Object.keys(refused.fields ?? {})).toEqual(['complaintAnswerDays']);
    }
    expect((await settings(guangshan)).complaintAnswerDays).toBe(7);
  });

  it('dates each complaint by its own county’s days: 光山县’s 2 days are overdue, 罗山县’s 7 are not', async () => {
    const updated = await guangshan.request<Settings>('PUT', '/county/settings', { complaintAnswerDays: 2 });
    expect(updated.body.complaintAnswerDays).toBe(2);
    expect((await settings(luoshan)).complaintAnswerDays).toBe(7);

    const inGuangshan = await raise(guangshanChild);
    const inLuoshan = await raise(luoshanChild);
    expect(Date.parse(inGuangshan.dueAt) - Date.parse(inGuangshan.createdAt)).toBe(2 * DAY);
    expect(Date.parse(inLuoshan.dueAt) - Date.parse(inLuoshan.createdAt)).toBe(7 * DAY);
    // each office is told its own time limit
    const told = async (childName: string) =>
      (await server.dataSource.manager.findBy(InboxMessage, { title: '新的学生资助投诉' }))
        .map((m) => m.body)
        .filter((b) => b.includes(childName));
    expect(await told('孙光山')).toEqual([expect.stringContaining('请在2天内答复')]);
    expect(await told('孙罗山')).toEqual([expect.stringContaining('请在7天内答复')]);

    server.clock.advance(3 * DAY);
    try {
      const overdueHere = (await guangshan.get<ComplaintPage>('/subsidies/complaints?overdue=true')).body;
      expect(overdueHere.items.map((c) => c.id)).toEqual([inGuangshan.id]);
      expect(overdueHere.overdueCount).toBe(1);
      const overdueThere = (await luoshan.get<ComplaintPage>('/subsidies/complaints?overdue=true')).body;
      expect(overdueThere).toMatchObject({ items: [], overdueCount: 0 });
      expect((await luoshan.get<ComplaintView>(`/subsidies/complaints/${inLuoshan.id}`)).body.overdue).toBe(false);
      expect((await guangshan.get<ComplaintView>(`/subsidies/complaints/${inGuangshan.id}`)).body.overdue).toBe(true);

      server.clock.advance(5 * DAY);
      // a week on (a new session: the last one has expired), 罗山县's complaint is overdue too
      const luoshanNow = await clientFor(server, luoshanAdmin);
      expect((await luoshanNow.get<ComplaintPage>('/subsidies/complaints?overdue=true')).body.overdueCount).toBe(1);
    } finally {
      server.clock.advance(-8 * DAY);
    }
  });

  it('applies a changed rule to complaints raised or raised again afterwards, in that county only', async () => {
    expect((await luoshan.request('PUT', '/county/settings', { complaintAnswerDays: 10 })).status).toBe(200);
    expect((await settings(guangshan)).complaintAnswerDays).toBe(2);
    const later = await raise(luoshanChild);
    expect(Date.parse(later.dueAt) - Date.parse(later.createdAt)).toBe(10 * DAY);

    // answered, then raised again by the parent: a new time limit by today's rule of the complaint's county
    const answered = await guangshan.post<ComplaintView>(
      `/subsidies/complaints/${(await guangshan.get<ComplaintPage>('/subsidies/complaints')).body.items[0]!.id}/transitions`,
      { transition: 'answer', version: 1, text: '已核实，补助将于下周发放。' },
    );
    expect(answered.body.status).toBe('answered');
    expect((await guangshan.request('PUT', '/county/settings', { complaintAnswerDays: 4 })).status).toBe(200);
    const reopened = await parent.post<ComplaintView>(`/subsidies/complaints/${answered.body.id}/transitions`, {
      transition: 'reopen',
      version: answered.body.version,
      text: '下周过去了还是没有收到。',
    });
    expect(reopened.body.status).toBe('processing');
    expect(Date.parse(reopened.body.dueAt) - server.clock.now().getTime()).toBeGreaterThan(4 * DAY - 60_000);
    expect(Date.parse(reopened.body.dueAt) - server.clock.now().getTime()).toBeLessThanOrEqual(4 * DAY);
    expect((await settings(luoshan)).complaintAnswerDays).toBe(10);
  });
});
