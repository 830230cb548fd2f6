import type { EnrolmentBatchView, EnrolmentNoticeView } from '@baoxue/shared';
import { newId } from '../../server/src/common/ids';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { Child } from '../../server/src/modules/children/child.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { HouseholdMember } from '../../server/src/modules/registry/registry.entities';
import { expectError, signInAs, signInWithWechat, type ApiClient } from '../support/api';
import { createPupil, DEMO_JUNIOR, DEMO_SCHOOL, demoUser, download, idNumberFor, pdfText, schoolByName } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { imageForm, photoWithGps, WUMING } from '../support/tips';

const ISSUE = {
  kind: 'new_entrants',
  schoolYear: 2027,
  catchment: [WUMING],
  reportOn: '2027-08-30',
  reportTime: '上午8:00—11:30',
  reportPlace: '学校一楼大厅',
  bring: '户口簿、儿童预防接种证',
  contact: '赵老师 0376-8888123',
  acknowledgeBy: '2027-07-15',
};

interface FollowUp {
  groups: Array<{ schoolName: string; villageName: string | null; counts: Record<string, number> }>;
  items: Array<{ noticeId: string; childName: string; state: string; overdue: boolean; guardiansInApp: number }>;
}

describe('enrolment notices 入学通知书', () => {
  let server: TestServer;
  let county: ApiClient;
  let staff: ApiClient;
  let parent: ApiClient;
  let schoolId: string;
  let batch: EnrolmentBatchView;
  let huaNoticeId: string;

  beforeAll(async () => {
    server = await startTestServer();
    [county, staff, parent] = await Promise.all(['county-admin', 'school-staff', 'parent'].map((a) => signInAs(server, a)));
    schoolId = (await schoolByName(server.dataSource, DEMO_SCHOOL)).id;
    // turning 6 by 31 August 2027, not yet at school, in 吴明村
    await createPupil(server.dataSource, {
      name: '王小花',
      sex: 'female',
      birthDate: '2021-03-01',
      grade: null,
      studentNumber: null,
      bindingCode: 'HUA2CODE',
    });
    await createPupil(server.dataSource, { name: '王小草', birthDate: '2020-10-01', grade: null, studentNumber: null, bindingCode: null });
    // too old, too young, another village
    await createPupil(server.dataSource, { name: '王大哥', birthDate: '2019-05-01', grade: null, studentNumber: null });
    await createPupil(server.dataSource, { name: '王小弟', birthDate: '2021-10-01', grade: null, studentNumber: null });
    await createPupil(server.dataSource, {
      name: '李邻村',
      birthDate: '2021-01-01',
      grade: null,
      studentNumber: null,
      villageCode: '411522101001',
    });
    // known only from the household registration 户籍
    await server.dataSource.manager.insert(HouseholdMember, {
      id: newId(),
      countyCode: '411522000000',
      idNumber: idNumberFor('2021-01-05'),
      name: '王户籍',
      nameKey: '王户籍',
      sex: 'male',
      birthDate: '2021-01-05',
      villageCode: WUMING,
      guardianName: '王建设',
      guardianPhone: '13900002222',
      importId: newId(),
    });
    expect((await parent.post('/children/bind', { bindingCode: 'HUA2CODE', childName: '王小花', relation: 'mother' })).status).toBe(200);
  });
  afterAll(async () => server?.close());

  it('counts who would be notified in a dry run, then issues one notice per child turning 6 in the catchment', async () => {
    const dry = await county.post<{ notified: number; withoutApp: number; batch: null }>('/enrolment/batches', {
      ...ISSUE,
      schoolId,
      dryRun: true,
    });
    expect(dry.body).toEqual({ batch: null, notified: 3, alreadyNoticed: 0, withoutApp: 2 });
    const issued = await county.post<{ batch: EnrolmentBatchView; notified: number }>('/enrolment/batches', { ...ISSUE, schoolId });
    expect(issued.status).toBe(201);
    batch = issued.body.batch;
    expect(batch).toMatchObject({
      kind: 'new_entrants',
      schoolName: DEMO_SCHOOL,
      issuerName: '光山县教育局',
      counts: { total: 3, pending: 3 },
    });
    // the household child now has a record and a binding code for the paper notice
    const created = await server.dataSource.manager.findOneByOrFail(Child, { name: '王户籍' });
    expect(created.bindingCode).toMatch(/^[A-Z2-9]{8}$/);
    expect((await server.dataSource.manager.findOneByOrFail(Child, { name: '王小草' })).bindingCode).toMatch(/^[A-Z2-9]{8}$/);
    // the bound parent is told at once
    const mother = await demoUser(server.dataSource, 'parent');
    expect(await server.dataSource.manager.countBy(InboxMessage, { userId: mother.id, title: '入学通知书' })).toBe(1);
    // a second issue to the same children notifies nobody twice
    const again = await county.post('/enrolment/batches', { ...ISSUE, schoolId, dryRun: true });
    expect(again.body).toMatchObject({ notified: 0, alreadyNoticed: 3 });
  });

  it('shows the parent the notice with the law it cites, and records the first reading', async () => {
    const mine = await parent.get<{ items: EnrolmentNoticeView[] }>('/enrolment/notices/mine');
    expect(mine.body.items).toHaveLength(1);
    const notice = mine.body.items[0]!;
    huaNoticeId = notice.id;
    expect(notice).toMatchObject({
      childName: '王小花',
      state: 'issued',
      schoolName: DEMO_SCHOOL,
      actions: ['acknowledge', 'apply_deferral'],
    });
    expect(notice.text).toContain('第五条第二款：适龄儿童、少年的父母或者其他法定监护人应当依法保证其按时入学接受并完成义务教育。');
    expect(notice.text).toContain('第十一条：凡年满六周岁的儿童');
    expect(notice.text).toContain('由当地乡镇人民政府或者县级人民政府教育行政部门给予批评教育，责令限期改正。');
    const opened = await parent.get<EnrolmentNoticeView>(`/enrolment/notices/${notice.id}`);
    expect(opened.body.state).toBe('read');
  });

  it('prints the notice as an A4 PDF with the Chinese font embedded, the child’s name and the binding code', async () => {
    const file = await download(server, parent.token, `/enrolment/notices/${huaNoticeId}/pdf`);
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    // a subset of the default font, the one installed with the npm packages
    expect(file.body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular\b/);
    expect(file.body.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
    const { totalPages, pages } = pdfText(file.body);
    expect(totalPages).toBe(1);
    const text = pages[0]!.replace(/\s+/g, '');
    expect(text).toContain('王小花');
    expect(text).toContain('HUA2CODE');
    expect(text).toContain('义务教育法');
    // the whole batch, one page per child, for the receiving school to print
    const all = await download(server, staff.token, `/enrolment/batches/${batch.id}/pdf`);
    const printed = pdfText(all.body);
    expect(printed.totalPages).toBe(3);
    const codes = (await server.dataSource.manager.findBy(Child, { name: '王户籍' })).map((c) => c.bindingCode!);
    expect(printed.pages.join('').replace(/\s+/g, '')).toContain(codes[0]);
  });

  it('takes the parent’s receipt (回执) once, and the school sees it', async () => {
    const acknowledged = await parent.post<EnrolmentNoticeView>(`/enrolment/notices/${huaNoticeId}/acknowledge`);
    expect(acknowledged.body).toMatchObject({ state: 'acknowledged', actions: ['apply_deferral'] });
    const first = acknowledged.body.acknowledgedAt;
    expect((await parent.post<EnrolmentNoticeView>(`/enrolment/notices/${huaNoticeId}/acknowledge`)).body.acknowledgedAt).toBe(first);
    const followUp = await staff.get<FollowUp>(`/enrolment/follow-up?batchId=${batch.id}`);
    expect(followUp.body.groups).toEqual([
      expect.objectContaining({
        schoolName: DEMO_SCHOOL,
        villageName: '吴明村民委员会',
        counts: expect.objectContaining({ total: 3, acknowledged: 1, pending: 2, overdue: 0 }),
      }),
    ]);
    expect(followUp.body.items.map((i) => i.childName).sort()).toEqual(['王小草', '王户籍'].sort());
  });

  it('lists who has not acknowledged by the deadline for the village, and reminds guardians in the app', async () => {
    const cao = await server.dataSource.manager.findOneByOrFail(Child, { name: '王小草' });
    const { client: caoParent } = await signInWithWechat(server, 'openid-cao-father');
    await caoParent.post('/children/bind', { bindingCode: cao.bindingCode!, childName: '王小草', relation: 'father' });
    server.clock.advance(400 * 24 * 3_600_000); // past 2027-07-15 (signed in afterwards: sessions last a week)
    try {
      const villageCadre = await signInAs(server, 'village-cadre');
      const zhaihe = await signInAs(server, 'zhaihe-cadre');
      const followUp = await villageCadre.get<FollowUp>('/enrolment/follow-up');
      expect(followUp.status).toBe(200);
      expect(followUp.body.items.every((i) => i.overdue)).toBe(true);
      expect(followUp.body.items.find((i) => i.childName === '王小草')?.guardiansInApp).toBe(1);
      expect(followUp.body.groups[0]!.counts.overdue).toBe(2);
      expect((await zhaihe.get<FollowUp>('/enrolment/follow-up')).body.items).toEqual([]);
      const reminded = await villageCadre.post(`/enrolment/batches/${batch.id}/remind`, {});
      expect(reminded.body).toEqual({ reminded: 1, guardians: 1, withoutApp: 1, skippedRecent: 0 });
      expect((await villageCadre.post(`/enrolment/batches/${batch.id}/remind`, {})).body).toMatchObject({ reminded: 0, skippedRecent: 1 });
      expectError(await zhaihe.post(`/enrolment/batches/${batch.id}/remind`, {}), 404, 'NOT_FOUND');
    } finally {
      server.clock.advance(-400 * 24 * 3_600_000);
    }
  });

  it('takes a deferral application with a document photo, decided by the township, and tells the parent', async () => {
    const cao = await server.dataSource.manager.findOneByOrFail(Child, { name: '王小草' });
    const { client: caoParent } = await signInWithWechat(server, 'openid-cao-father');
    const notice = (await caoParent.get<{ items: EnrolmentNoticeView[] }>('/enrolment/notices/mine')).body.items[0]!;
    expect(notice.childId).toBe(cao.id);
    const photo = await caoParent.post<{ id: string }>('/uploads', imageForm(await photoWithGps(320, 240)));
    expect(photo.status).toBe(201);
    expectError(await caoParent.post('/uploads?purpose=tip_evidence', imageForm(await photoWithGps(32, 32))), 403, 'FORBIDDEN');
    const applied = await caoParent.post<EnrolmentNoticeView>(`/enrolment/notices/${notice.id}/deferral`, {
      reason: '孩子先天性心脏病，需要手术后休养一年',
      photoId: photo.body.id,
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ state: 'deferral_pending', deferral: { status: 'pending' } });
    expectError(
      await caoParent.post(`/enrolment/notices/${notice.id}/deferral`, { reason: '再次申请延缓入学', photoId: photo.body.id }),
      409,
      'DEFERRAL_PENDING',
    );
    const leader = await signInAs(server, 'township-leader');
    const villageCadre = await signInAs(server, 'village-cadre');
    const pending = await leader.get<{ items: Array<{ id: string; photoUrl: string }> }>('/enrolment/deferrals?status=pending');
    expect(pending.body.items).toHaveLength(1);
    const deferralId = pending.body.items[0]!.id;
    expect((await fetch(`${server.baseUrl}${pending.body.items[0]!.photoUrl}`)).status).toBe(200);
    // a village sees it but cannot decide; a school sees nothing
    expectError(await villageCadre.post(`/enrolment/deferrals/${deferralId}/decision`, { decision: 'approve' }), 403, 'FORBIDDEN');
    expect((await staff.get<{ items: unknown[] }>('/enrolment/deferrals')).body.items).toEqual([]);
    expectError(await leader.post(`/enrolment/deferrals/${deferralId}/decision`, { decision: 'refuse' }), 400, 'VALIDATION_FAILED');
    const decided = await leader.post(`/enrolment/deferrals/${deferralId}/decision`, { decision: 'approve', note: '同意延缓一年入学' });
    expect(decided.body).toMatchObject({ status: 'approved', decidedBy: '十里镇人民政府', decisionNote: '同意延缓一年入学' });
    expectError(
      await leader.post(`/enrolment/deferrals/${deferralId}/decision`, { decision: 'refuse', note: '改变主意' }),
      409,
      'DEFERRAL_DECIDED',
    );
    const seen = await caoParent.get<EnrolmentNoticeView>(`/enrolment/notices/${notice.id}`);
    expect(seen.body).toMatchObject({ state: 'deferred', deferral: { status: 'approved', decidedBy: '十里镇人民政府' } });
    expect((await staff.get<FollowUp>(`/enrolment/follow-up?batchId=${batch.id}`)).body.groups[0]!.counts.deferred).toBe(1);
  });

  it('lets a school issue its sixth-graders’ notices to their junior school, and refuses a school acting for another', async () => {
    await createPupil(server.dataSource, { name: '毕业甲', schoolId, grade: 6 });
    await createPupil(server.dataSource, { name: '在读乙', schoolId, grade: 5 });
    const junior = await schoolByName(server.dataSource, DEMO_JUNIOR);
    const body = {
      ...ISSUE,
      kind: 'graduates',
      schoolYear: 2026,
      schoolId: junior.id,
      fromSchoolIds: [schoolId],
      catchment: [],
      reportOn: '2026-08-28',
      acknowledgeBy: '2026-07-10',
    };
    const issued = await staff.post<{ batch: EnrolmentBatchView }>('/enrolment/batches', body);
    expect(issued.status).toBe(201);
    expect(issued.body.batch).toMatchObject({ kind: 'graduates', schoolName: DEMO_JUNIOR, issuerName: DEMO_SCHOOL, counts: { total: 1 } });
    const other = (await schoolByName(server.dataSource, '光山县寨河镇中心小学')).id;
    expectError(await staff.post('/enrolment/batches', { ...body, fromSchoolIds: [other] }), 403, 'FORBIDDEN');
    expectError(await (await signInAs(server, 'township-cadre')).post('/enrolment/batches', body), 403, 'FORBIDDEN');
    expectError(await county.post('/enrolment/batches', { ...body, acknowledgeBy: '2026-09-01' }), 400, 'VALIDATION_FAILED');
  });

  it('keeps notices to guardians and officials in scope, and audits officials’ reading', async () => {
    const { client: stranger } = await signInWithWechat(server, 'openid-stranger');
    expectError(await stranger.get(`/enrolment/notices/${huaNoticeId}`), 404, 'NOT_FOUND');
    expectError(await stranger.post(`/enrolment/notices/${huaNoticeId}/acknowledge`), 404, 'NOT_FOUND');
    expect((await download(server, stranger.token, `/enrolment/notices/${huaNoticeId}/pdf`)).status).toBe(404);
    expectError(await (await signInAs(server, 'zhaihe-cadre')).get(`/enrolment/notices/${huaNoticeId}`), 404, 'NOT_FOUND');
    expect((await staff.get(`/enrolment/notices/${huaNoticeId}`)).status).toBe(200);
    expect(await server.dataSource.manager.countBy(AuditEntry, { action: 'enrolment.notice.read', targetId: huaNoticeId })).toBe(1);
  });

  it('narrows the follow-up list and reminders to a place in the caller’s area, and refuses a place outside it', async () => {
    const [township, zhaihe] = await Promise.all(['township-cadre', 'zhaihe-cadre'].map((a) => signInAs(server, a)));
    const narrowed = await township.get<FollowUp>(`/enrolment/follow-up?batchId=${batch.id}&under=${WUMING}`);
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.groups.map((g) => g.villageName)).toEqual(['吴明村民委员会']);
    expect((await county.get<FollowUp>(`/enrolment/follow-up?under=${WUMING}`)).status).toBe(200);
    // a school lists its own school's notices, which any place only narrows
    const elsewhere = await staff.get<FollowUp>('/enrolment/follow-up?under=411522102000');
    expect([elsewhere.status, elsewhere.body.items]).toEqual([200, []]);
    const refused = expectError(await zhaihe.get(`/enrolment/follow-up?under=${WUMING}`), 403, 'FORBIDDEN');
    expect(refused).toMatchObject({ message: '只能查看本单位范围内的名单', fields: { under: '不在您的管辖范围内' } });
    expectError(await county.get('/enrolment/follow-up?under=411523000000'), 403, 'FORBIDDEN');
    const notReminded = expectError(
      await township.post(`/enrolment/batches/${batch.id}/remind`, { under: '411522102000' }),
      403,
      'FORBIDDEN',
    );
    expect(notReminded).toMatchObject({ message: '只能提醒本单位范围内的家长', fields: { under: '不在您的管辖范围内' } });
  });

  it('lists a school the batches it receives and those its pupils were notified in, with the whole batch counted', async () => {
    const listed = await staff.get<{ items: EnrolmentBatchView[] }>('/enrolment/batches');
    expect(listed.body.items.map((b) => [b.kind, b.schoolName]).sort()).toEqual([
      ['graduates', DEMO_JUNIOR],
      ['new_entrants', DEMO_SCHOOL],
    ]);
    expect(listed.body.items.find((b) => b.kind === 'graduates')?.counts.total).toBe(1);
    // a township counts only its own children; one without notices sees no batch
    const township = await signInAs(server, 'township-cadre');
    expect((await township.get<{ items: EnrolmentBatchView[] }>('/enrolment/batches')).body.items.map((b) => b.kind).sort()).toEqual([
      'graduates',
      'new_entrants',
    ]);
    expect((await (await signInAs(server, 'zhaihe-cadre')).get<{ items: unknown[] }>('/enrolment/batches')).body.items).toEqual([]);
  });
});
