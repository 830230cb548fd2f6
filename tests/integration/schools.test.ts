import type { SchoolView } from '@baoxue/shared';
import { School } from '../../server/src/modules/schools/school.entity';
import { expectError, signInAs, type ApiClient } from '../support/api';
import { OTHER_COUNTY, seedOtherCounty } from '../support/factories';
import { startTestServer, type TestServer } from '../support/server';

type Page = { items: SchoolView[]; nextCursor: string | null };

describe('schools', () => {
  let server: TestServer;
  let admin: ApiClient;
  let supervisor: ApiClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAs(server, 'county-admin');
    supervisor = await signInAs(server, 'supervisor');
  });
  afterAll(async () => server?.close());

  it('pages through every school of the county with a keyset cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await supervisor.get<Page>(`/schools?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.body.items.map((s) => s.id));
      expect(page.body.items.length).toBeLessThanOrEqual(7);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await server.dataSource.manager.countBy(School, { countyCode: '411522000000' }));
    expect(seen.length).toBe(19 * 4);
  });

  it('filters by township, village, stage and name', async () => {
    const township = await supervisor.get<Page>('/schools?under=411522101000');
    expect(township.body.items.map((s) => s.name).sort()).toEqual(
      ['光山县十里镇中心小学', '光山县十里镇初级中学', '光山县十里镇十里街道小学', '光山县十里镇五里店小学'].sort(),
    );
    const village = await supervisor.get<Page>('/schools?under=411522101002');
    expect(village.body.items).toEqual([
      expect.objectContaining({ name: '光山县十里镇五里店小学', villageName: '五里店社区居民委员会', townshipName: '十里镇' }),
    ]);
    const junior = await supervisor.get<Page>('/schools?stage=junior&limit=100');
    expect(junior.body.items).toHaveLength(19);
    const named = await supervisor.get<Page>(`/schools?q=${encodeURIComponent('十里镇中心')}`);
    expect(named.body.items.map((s) => s.name)).toEqual(['光山县十里镇中心小学']);
  });

  it('creates a school in the admin’s county and places it in its township and village', async () => {
    const created = await admin.post<SchoolView>('/schools', {
      name: '光山县十里镇吴明教学点',
      stage: 'primary',
      code: '４１１５２２０００１',
      divisionCode: '411522101203',
      address: ' 十里镇吴明村 ',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: '4115220001',
      townshipCode: '411522101000',
      villageCode: '411522101203',
      countyCode: '411522000000',
      address: '十里镇吴明村',
    });
    const updated = await admin.patch<SchoolView>(`/schools/${created.body.id}`, { stage: 'both', divisionCode: '411522102000' });
    expect(updated.body).toMatchObject({ stage: 'both', townshipCode: '411522102000', villageCode: null, name: '光山县十里镇吴明教学点' });
    expect((await supervisor.get<SchoolView>(`/schools/${created.body.id}`)).body.stage).toBe('both');
  });

  it('explains every invalid field and writes nothing', async () => {
    const before = await server.dataSource.manager.count(School);
    const invalid = expectError(
      await admin.post('/schools', { name: '小学', stage: 'college', divisionCode: '4115' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(invalid.fields).toEqual({
      name: '学校名称至少4个字',
      stage: '请选择学段（小学、初中或九年一贯制）',
      divisionCode: '区划代码应为12位数字',
    });
    const county = expectError(
      await admin.post('/schools', { name: '光山县某某小学', stage: 'primary', divisionCode: '411522000000' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(county.fields).toEqual({ divisionCode: '学校应归属到乡镇或村' });
    const unknown = expectError(
      await admin.post('/schools', { name: '光山县某某小学', stage: 'primary', divisionCode: '411522199000' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(unknown.fields).toEqual({ divisionCode: '该行政区划不存在' });
    expectError(await admin.patch(`/schools/${(await supervisor.get<Page>('/schools')).body.items[0]!.id}`, {}), 400, 'VALIDATION_FAILED');
    expect(await server.dataSource.manager.count(School)).toBe(before);
  });

  it('refuses a school code that another school has', async () => {
    await admin.post('/schools', { name: '光山县寨河镇某某小学', stage: 'primary', code: '4115220099', divisionCode: '411522102000' });
    const duplicate = expectError(
      await admin.post('/schools', { name: '光山县寨河镇另一小学', stage: 'primary', code: '4115220099', divisionCode: '411522102000' }),
      409,
      'ALREADY_EXISTS',
    );
    expect(duplicate.fields).toEqual({ code: '学校标识码重复' });
  });

  it('keeps other counties’ schools out of reach', async () => {
    const { schoolId } = await seedOtherCounty(server.dataSource);
    // served counties' schools are public names: readable
    expect((await supervisor.get<SchoolView>(`/schools/${schoolId}`)).status).toBe(200);
    expectError(await admin.patch(`/schools/${schoolId}`, { address: '别县' }), 404, 'NOT_FOUND');
    expectError(
      await admin.post('/schools', { name: '罗山县周党镇新小学', stage: 'primary', divisionCode: OTHER_COUNTY.township }),
      403,
      'FORBIDDEN',
    );
    // a school of a county this deployment does not serve does not exist for anyone
    await server.dataSource.manager.update(School, { id: schoolId }, { countyCode: '419001000000' });
    expectError(await supervisor.get(`/schools/${schoolId}`), 404, 'NOT_FOUND');
  });

  it('rejects malformed ids and cursors', async () => {
    const badId = expectError(await supervisor.get('/schools/not-a-uuid'), 400, 'VALIDATION_FAILED');
    expect(badId.fields).toEqual({ id: '编号格式不正确' });
    const badCursor = expectError(await supervisor.get('/schools?cursor=bm90LWpzb24'), 400, 'VALIDATION_FAILED');
    expect(badCursor.fields).toEqual({ cursor: '分页参数不正确，请从第一页重新加载' });
    const badLimit = expectError(await supervisor.get('/schools?limit=1000'), 400, 'VALIDATION_FAILED');
    expect(badLimit.fields).toEqual({ limit: '每页最多100条' });
  });
});
