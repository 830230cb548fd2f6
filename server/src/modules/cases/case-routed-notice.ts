import { pageLink } from '@baoxue/shared';
import type { Notice } from '../notifications/notifications.service';
import { wechatTime } from '../notifications/subscribe-templates';
import type { DropoutCase } from './case.entity';

/**
 * What the township (or, in triage, the county) is told of a case routed to it, whichever path
 * opened or moved the case: one at a time (CasesService) or a batch (CaseBatchOpening).
 * `place`: the full name of the case's village or township ('' in triage).
 */
export function routedNotice(
  record: Pick<DropoutCase, 'id' | 'routingCode' | 'townshipCode'>,
  place: string,
  acknowledgeHours: number,
  now: Date,
): Notice {
  const triage = !record.townshipCode;
  return {
    key: `case-routed:${record.id}:${record.routingCode}:${now.getTime()}`,
    title: triage ? '有线索需要人工分派' : '新的疑似辍学线索',
    body: triage ? '一条线索未能自动分派到乡镇，请尽快处理。' : `${place}，请在${acknowledgeHours}小时内受理。`,
    link: triage ? pageLink('countyTriage') : pageLink('officialCase', { id: record.id }),
    wechat: {
      template: 'new_case',
      values: {
        thing1: triage ? '待分派线索' : '疑似辍学线索',
        thing2: triage ? '县级待分派' : place.replace(/^\S+县\s*/, '') || '本乡镇',
        time3: wechatTime(now),
        thing4: triage ? '请尽快分派到乡镇' : `请在${acknowledgeHours}小时内受理`,
      },
    },
  };
}
