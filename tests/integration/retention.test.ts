import { existsSync } from 'node:fs';
import { IsNull, Not } from 'typeorm';
import { join } from 'node:path';
import { pageLink, PSEUDONYMISED_TEXT, type CaseDetail, type ResponseOf } from '@baoxue/shared';
import { APP_CONFIG, type AppConfig } from '../../server/src/config/config.schema';
import { newId } from '../../server/src/common/ids';
import { User } from '../../server/src/modules/accounts/user.entity';
import { AuditEntry } from '../../server/src/modules/audit/audit-entry.entity';
import { CaseEvent, CaseVisit, DropoutCase } from '../../server/src/modules/cases/case.entity';
import { RetentionService, yearsBefore } from '../../server/src/modules/cases/retention.service';
import { Child } from '../../server/src/modules/children/child.entity';
import { InboxMessage } from '../../server/src/modules/notifications/notification.entities';
import { SchoolReport } from '../../server/src/modules/school-line/follow-up.entities';
import { Tip } from '../../server/src/modules/tips/tip.entity';
import { Upload } from '../../server/src/modules/uploads/upload.entity';
import { signInAs, type ApiClient } from '../support/api';
import { idNumberFor } from '../support/pupils';
import { startTestServer, type TestServer } from '../support/server';
import { fileTip, imageForm, photoWithGps, raiseTipLimit } from '../support/tips';

const YEAR_MS = 365.25 * 86_400_000;

/**
 * BRIEF §7 retention: a case finished longer ago than the county's `retentionYears` loses every
 * name, number, note and photo; younger and open cases keep theirs; statistics keep counting it.
 */
describe('retention of finished cases', () => {
  let server: TestServer;
  let supervisor: ApiClient;
  let admin: ApiClient;
  let retention: RetentionService;

  beforeAll(async () => {
    server = await startTestServer();
    supervisor = await signInAs(server, 'supervisor');
    admin = await signInAs(server, 'county-admin');
    retention = server.app.get(RetentionService);
    await raiseTipLimit(server.dataSource);
  });
  afterAll(async () => server?.close());

  /** A tip with a photo, ID number and contact; its case finished `yearsAgo` years ago (null: still open). */
  async function caseFinished(
    name: string,
    yearsAgo: number | null,
  ): Promise<{ caseId: string; tipId: string; photoId: string; childId: string }> {
    const photo = await supervisor.post<{ id: string }>('/uploads?purpose=tip_evidence', imageForm(await photoWithGps(64, 64)));
    const filed = await fileTip(supervisor, {
      photoId: photo.body.id,
      contact: '13800138000',
      locationNote: '村口小卖部往北第二户',
      child: { name, idNumber: idNumberFor('2012-05-06') },
    });
    if (filed.status !== 201) throw new Error(JSON.stringify(filed.body));
    const tip = await server.dataSource.manager.findOneByOrFail(Tip, { id: filed.body.tip.id });
    const cadre = await server.dataSource.manager.findOneByOrFail(User, { demoAccount: 'township-cadre' });
    await server.dataSource.manager.insert(CaseVisit, {
      id: newId(),
      caseId: tip.caseId,
      visitedOn: '2020-03-01',
      visitors: '陈丽、李强',
      met: '母亲张某',
      statedReason: '家里困难，孩子不想上学',
      commitments: '下周一送孩子返校',
      outcome: 'agreed_to_return',
      recordedBy: cadre.id,
      recordedAt: new Date(),
    });
    await server.dataSource.manager.insert(CaseEvent, {
      id: newId(),
      caseId: tip.caseId,
      at: new Date(),
      actorId: cadre.id,
      kind: 'closed',
      data: { note: `${name}已返校` },
    });
    // a message about the case that names the child, as overdue and transfer messages do
    await server.dataSource.manager.insert(InboxMessage, {
      id: newId(),
      userId: cadre.id,
      dedupeKey: `retention-test:${tip.caseId}`,
      title: '案件已超期',
      body: `${name}的案件已超过处理时限`,
      link: pageLink('officialCase', { id: tip.caseId }),
      createdAt: new Date(),
      readAt: null,
    });
    if (yearsAgo !== null) {
      const closedAt = new Date(server.clock.now().getTime() - yearsAgo * YEAR_MS);
      await server.dataSource.manager.update(DropoutCase, { id: tip.caseId }, { status: 'closed', closedAt, openedAt: closedAt });
    }
    const record = await server.dataSource.manager.findOneByOrFail(DropoutCase, { id: tip.caseId });
    return { caseId: tip.caseId, tipId: tip.id, photoId: photo.body.id, childId: record.childId };
  }

  const photoPath = (id: string) => join((server.app.get(APP_CONFIG) as AppConfig).uploads.dir, `${id}.jpg`);

  it('strips a case finished beyond the retention period, and nothing else', async () => {
    const old = await caseFinished('保留测甲', 6);
    // the school line's free text on the timeline: a school's report with its contacts with the family, a 学籍异动's evidence
    const schoolLine = [
      {
        kind: 'school_reported',
        data: { schoolName: '十里镇中心小学', reason: '多日未到校', contacts: 1, contactSummary: '电话联系外婆王某：联系不上' },
      },
      { kind: 'pupil_change', data: { summary: '经县教育局批准休学：白血病住院治疗' } },
      { kind: 'closed_not_dropout', data: { reason: 'deferred', evidence: '经县教育局批准休学：白血病住院治疗' } },
    ];
    await server.dataSource.manager.insert(
      CaseEvent,
      schoolLine.map((event) => ({ id: newId(), caseId: old.caseId, at: new Date(), actorId: null, ...event })),
    );
    // and the school's own copy of its report's reason
    const schoolReport = (caseId: string, childId: string) => ({
      id: newId(),
      countyCode: '411522000000',
      schoolId: newId(),
      childId,
      caseId,
      existing: false,
      reason: '母亲说孩子患抑郁症不愿上学',
      reportedBy: newId(),
      clientKey: newId(),
      reportedAt: new Date(),
    });
    const recent = await caseFinished('保留测乙', 4);
    const open = await caseFinished('保留测丙', null);
    await server.dataSource.manager.insert(SchoolReport, [
      schoolReport(old.caseId, old.childId),
      schoolReport(recent.caseId, recent.childId),
    ]);
    expect(existsSync(photoPath(old.photoId))).toBe(true);
    const messagesBefore = await server.dataSource.manager.findBy(InboxMessage, {});
    expect(messagesBefore.some((m) => m.body.includes('保留测甲'))).toBe(true);

    expect(await retention.run()).toEqual({ cases: 1, photos: 1 });

    const tip = await server.dataSource.manager.findOneByOrFail(Tip, { id: old.tipId });
    expect(tip).toMatchObject({
      childName: PSEUDONYMISED_TEXT,
      childIdNumber: null,
      observation: PSEUDONYMISED_TEXT,
      locationNote: null,
      contact: null,
      photoId: null,
    });
    expect(await server.dataSource.manager.findOneBy(Upload, { id: old.photoId })).toBeNull();
    expect(existsSync(photoPath(old.photoId))).toBe(false);
    expect(await server.dataSource.manager.findOneByOrFail(CaseVisit, { caseId: old.caseId })).toMatchObject({
      visitors: PSEUDONYMISED_TEXT,
      met: PSEUDONYMISED_TEXT,
      statedReason: PSEUDONYMISED_TEXT,
      commitments: null,
    });
    const closedEvent = await server.dataSource.manager.findOneByOrFail(CaseEvent, { caseId: old.caseId, kind: 'closed' });
    expect(closedEvent.data).toEqual({ note: PSEUDONYMISED_TEXT });
    const timeline = JSON.stringify(await server.dataSource.manager.findBy(CaseEvent, { caseId: old.caseId }));
    for (const text of ['外婆王某', '白血病']) expect(timeline).not.toContain(text);
    expect((await server.dataSource.manager.findOneByOrFail(SchoolReport, { caseId: old.caseId })).reason).toBe(PSEUDONYMISED_TEXT);
    expect((await server.dataSource.manager.findOneByOrFail(SchoolReport, { caseId: recent.caseId })).reason).toBe(
      '母亲说孩子患抑郁症不愿上学',
    );
    expect(await server.dataSource.manager.findOneByOrFail(Child, { id: old.childId })).toMatchObject({
      name: PSEUDONYMISED_TEXT,
      idNumber: null,
    });
    const messages = await server.dataSource.manager.findBy(InboxMessage, {});
    expect(messages.filter((m) => m.body.includes('保留测甲'))).toEqual([]);
    expect(messages.some((m) => m.body.includes('保留测乙'))).toBe(true);

    // the younger finished case and the open one keep everything
    for (const kept of [recent, open]) {
      const keptTip = await server.dataSource.manager.findOneByOrFail(Tip, { id: kept.tipId });
      expect(keptTip.childName).not.toBe(PSEUDONYMISED_TEXT);
      expect(keptTip.contact).toBe('13800138000');
      expect(existsSync(photoPath(kept.photoId))).toBe(true);
    }

    // the case still reads, for officials and for the supervisor, without the child's name
    const detail = await admin.get<CaseDetail>(`/cases/${old.caseId}`);
    expect(detail.status).toBe(200);
    expect(JSON.stringify(detail.body)).not.toContain('保留测甲');
    expect(JSON.stringify(detail.body)).not.toContain('13800138000');
    const mine = await supervisor.get<ResponseOf<'tipsMine'>>('/tips/mine?limit=100');
    expect(mine.body.items.find((t) => t.id === old.tipId)?.child.name).toBe(PSEUDONYMISED_TEXT);

    const audit = await server.dataSource.manager.findOneByOrFail(AuditEntry, { action: 'retention.pseudonymise' });
    expect(audit).toMatchObject({ actorId: null, targetId: '411522000000', details: { cases: 1, photos: 1, retentionYears: 5 } });
  });

  it('does nothing the second time, and follows the county’s own retention period', async () => {
    expect(await retention.run()).toEqual({ cases: 0, photos: 0 });
    const changed = await admin.request('PUT', '/county/settings', { retentionYears: 3 });
    expect(changed.status).toBe(200);
    expect(await retention.run()).toEqual({ cases: 1, photos: 1 });
    expect(await server.dataSource.manager.countBy(DropoutCase, { pseudonymisedAt: Not(IsNull()) })).toBe(2);
  });

  it('refuses a retention period outside 1–30 years, naming the field', async () => {
    const refused = await admin.request('PUT', '/county/settings', { retentionYears: 0 });
    expect(refused.status).toBe(400);
    expect((refused.body as { fields: Record<string, string> }).fields.retentionYears).toMatch(/至少为1/);
  });

  it('counts calendar years, 29 February included', () => {
    expect(yearsBefore(new Date('2026-11-23T10:00:00Z'), 5).toISOString()).toBe('2021-11-23T10:00:00.000Z');
    expect(yearsBefore(new Date('2028-02-29T00:00:00Z'), 1).toISOString()).toBe('2027-02-28T00:00:00.000Z');
  });
});
