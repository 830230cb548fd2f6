import type { PupilChangeView, UploadResponse } from '@baoxue/shared';
import type { Browser } from 'playwright-core';
import { signInAs } from '../../support/api';
import { launchChromium, openPhone, screenshot, settled, visibleText } from '../../support/browser';
import { demoAccountNames, requireH5Build, signInWithDemoAccount } from '../../support/h5-app';
import { createPupil, demoUser } from '../../support/pupils';
import { startTestServer, type TestServer } from '../../support/server';
import { imageForm, photoWithGps } from '../../support/tips';

/**
 * 休学审批 in the H5 build (issue 14 item 7): the county admin approves a 休学 on its document, so
 * the page shows the photo the school attached (a short-lived signed link), not just "已上传".
 */
describe('the H5 app: the county sees the document of a 休学 it approves', () => {
  let server: TestServer;
  let browser: Browser;
  let names: Record<string, string>;

  beforeAll(async () => {
    const h5Dir = requireH5Build();
    [server, browser] = await Promise.all([startTestServer({ database: 'sqlite', mode: 'demo', h5Dir }), launchChromium()]);
    names = await demoAccountNames(server);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the 休学审批 page shows the document photo', async () => {
    const staff = await demoUser(server.dataSource, 'school-staff');
    const child = await createPupil(server.dataSource, { name: '休学图甲', schoolId: staff.unitSchoolId!, grade: 4, className: '7班' });
    const school = await signInAs(server, 'school-staff');
    const upload = await school.post<UploadResponse>('/uploads?purpose=pupil_change_document', imageForm(await photoWithGps(320, 240)));
    expect(upload.status).toBe(201);
    const recorded = await school.post<PupilChangeView>('/pupil-changes', {
      childId: child.id,
      kind: 'suspension',
      effectiveOn: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
      reason: '因病住院治疗',
      documentUploadId: upload.body.id,
    });
    expect(recorded.status).toBe(201);

    const { page, context, errors } = await openPhone(browser);
    try {
      await signInWithDemoAccount(page, server.baseUrl, names['county-admin']!);
      await page.goto(`${server.baseUrl}/#/packages/county/pages/suspensions/index`);
      await settled(page);
      await visibleText(page, '休学图甲 · 休学').waitFor();
      const photo = page.locator('.pupil-change-document img').filter({ visible: true });
      await photo.waitFor();
      await page.waitForFunction(
        (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
        await photo.elementHandle(),
      );
      expect(await photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
      expect(await visibleText(page, '已上传').count()).toBe(0);
      await screenshot(page, 'county-suspension-document');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);
});
