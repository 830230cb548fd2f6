import { Injectable } from '@nestjs/common';
import { NOT_DROPOUT_REASONS, pageLink, TIP_MILESTONES, type TipMilestone, type TipMilestoneView } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { CaseRecords, type CaseEventRow } from '../cases/case-records';
import { NotificationsService } from '../notifications/notifications.service';
import { wechatTime } from '../notifications/subscribe-templates';
import { Tip } from './tip.entity';

/** Timeline events that are milestones for the tipster, and which milestone each one is. */
const MILESTONE_OF_EVENT: Record<string, TipMilestone> = {
  accepted: 'assigned',
  visit_logged: 'visited',
  returned: 'returned',
  closed: 'closed',
  closed_not_dropout: 'unfounded',
};

/** The milestone as a WeChat `phrase` value: at most five Chinese characters. */
const PHRASE: Record<TipMilestone, string> = {
  received: '已收到',
  assigned: '已受理',
  visited: '已家访',
  returned: '已复学',
  closed: '已销号',
  unfounded: '非辍学',
};

/**
 * What a supervisor learns of the case their tip fed (BRIEF §3): coarse milestones, each once,
 * and for an unfounded tip the reason given — never the family's details.
 */
@Injectable()
export class TipMilestonesService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly cases: CaseRecords,
  ) {}

  /** Milestones per tip, read from the timelines of their cases in one query. */
  async forTips(manager: EntityManager, tips: Tip[]): Promise<Map<string, TipMilestoneView[]>> {
    const caseIds = [...new Set(tips.map((t) => t.caseId))];
    const events = await this.cases.eventsOf(manager, caseIds, Object.keys(MILESTONE_OF_EVENT));
    const byCase = new Map<string, CaseEventRow[]>();
    for (const event of events) byCase.set(event.caseId, [...(byCase.get(event.caseId) ?? []), event]);
    return new Map(
      tips.map((tip) => {
        const milestones: TipMilestoneView[] = [{ kind: 'received', at: tip.createdAt.toISOString(), note: null }];
        const seen = new Set<TipMilestone>(['received']);
        for (const event of byCase.get(tip.caseId) ?? []) {
          const kind = MILESTONE_OF_EVENT[event.kind]!;
          if (seen.has(kind)) continue;
          seen.add(kind);
          const reason = kind === 'unfounded' ? NOT_DROPOUT_REASONS[event.data?.reason as keyof typeof NOT_DROPOUT_REASONS] : undefined;
          milestones.push({ kind, at: event.at.toISOString(), note: reason ?? null });
        }
        return [tip.id, milestones];
      }),
    );
  }

  /** Tells every supervisor whose tip fed the case that it reached a milestone. */
  async announce(manager: EntityManager, caseId: string, milestone: TipMilestone, note: string | null): Promise<void> {
    const tips = await manager.find(Tip, { where: { caseId }, select: { id: true, supervisorId: true } });
    const now = this.clock.now();
    for (const tip of tips) {
      await this.notifications.notify(manager, [tip.supervisorId], {
        key: `tip-progress:${tip.id}:${milestone}`,
        title: '您提交的线索有新进展',
        body: `进展：${TIP_MILESTONES[milestone]}${note ? `（${note}）` : ''}`,
        link: pageLink('supervisorTip', { id: tip.id }),
        wechat: {
          template: 'tip_progress',
          values: {
            thing1: '您提交的疑似辍学线索',
            phrase2: PHRASE[milestone],
            time3: wechatTime(now),
            thing4: note ?? '感谢您对控辍保学的支持',
          },
        },
      });
    }
  }
}
