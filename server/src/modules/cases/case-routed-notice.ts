import { pageLink, type CaseSource } from '@baoxue/shared';
import type { Notice } from '../notifications/notifications.service';
import { wechatTime } from '../notifications/subscribe-templates';
import type { DropoutCase } from './case.entity';

/**
 * How a case came to light, as the notice names it: only a supervisor's tip is a 线索; a
 * 四查三比对 finding, an absence rule or a school's report is announced as what it is.
 * `thing` is WeChat's value for the template: at most 20 characters.
 */
const FOUND_BY: Record<CaseSource, { title: string; thing: string; what: string }> = {
  tip: { title: '新的疑似辍学线索', thing: '疑似辍学线索', what: '线索' },
  cross_check: { title: '四查三比对发现疑似失学辍学儿童', thing: '四查三比对疑似失学辍学', what: '比对结果' },
  absence: { title: '缺勤监测发现疑似辍学学生', thing: '缺勤监测疑似辍学', what: '缺勤案件' },
  school: { title: '学校上报疑似辍学学生', thing: '学校上报疑似辍学', what: '学校上报案件' },
  manual: { title: '新登记的疑似辍学案件', thing: '疑似辍学案件', what: '案件' },
};

/**
 * What the township (or, in triage, the county) is told of a case routed to it, whichever path
 * opened or moved the case: one at a time (CasesService) or a batch (CaseBatchOpening).
 * `place`: the full name of the case's village or township ('' in triage).
 */
export function routedNotice(
  record: Pick<DropoutCase, 'id' | 'caseNumber' | 'routingCode' | 'townshipCode' | 'source'>,
  place: string,
  acknowledgeHours: number,
  now: Date,
): Notice {
  const triage = !record.townshipCode;
  const found = FOUND_BY[record.source];
  return {
    key: `case-routed:${record.id}:${record.routingCode}:${now.getTime()}`,
    title: triage ? `有${found.what}需要人工分派` : found.title,
    body: triage
      ? `案件${record.caseNumber}未能自动分派到乡镇，请尽快处理。`
      : `案件${record.caseNumber}，${place}，请在${acknowledgeHours}小时内受理。`,
    link: triage ? pageLink('countyTriage') : pageLink('officialCase', { id: record.id }),
    wechat: {
      template: 'new_case',
      values: {
        thing1: triage ? `待分派${found.what}` : found.thing,
        thing2: triage ? '县级待分派' : place.replace(/^\S+县\s*/, '') || '本乡镇',
        time3: wechatTime(now),
        thing4: triage ? '请尽快分派到乡镇' : `请在${acknowledgeHours}小时内受理`,
      },
    },
  };
}
