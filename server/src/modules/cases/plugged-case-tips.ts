import { Injectable } from '@nestjs/common';
import type { OfficialTipView, TipMilestone } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import { CaseTips } from './case-tips';

/**
 * The CaseTips (and CaseTipRecords) the cases module injects. It forwards to the tips module's
 * implementation, which TipsModule plugs in when it starts (onModuleInit, before any request or timer
 * runs): tips imports cases, so cases cannot import tips, and neither module has to be global.
 */
@Injectable()
export class PluggedCaseTips extends CaseTips {
  private implementation: CaseTips | null = null;

  plug(implementation: CaseTips): void {
    if (this.implementation) throw new Error('the tips of cases are plugged in twice');
    this.implementation = implementation;
  }

  private get tips(): CaseTips {
    if (!this.implementation) throw new Error('the tips of cases are not wired: the tips module has not plugged in its CaseTips');
    return this.implementation;
  }

  idsOf(manager: EntityManager, caseId: string): Promise<string[]> {
    return this.tips.idsOf(manager, caseId);
  }

  moveAll(manager: EntityManager, fromCaseId: string, toCaseId: string): Promise<void> {
    return this.tips.moveAll(manager, fromCaseId, toCaseId);
  }

  move(manager: EntityManager, tipIds: string[], fromCaseId: string, toCaseId: string): Promise<number> {
    return this.tips.move(manager, tipIds, fromCaseId, toCaseId);
  }

  pseudonymise(manager: EntityManager, caseIds: string[]): Promise<{ tipIds: string[]; photoIds: string[] }> {
    return this.tips.pseudonymise(manager, caseIds);
  }

  officialViews(manager: EntityManager, caseId: string): Promise<OfficialTipView[]> {
    return this.tips.officialViews(manager, caseId);
  }

  announce(manager: EntityManager, caseId: string, milestone: TipMilestone, note: string | null): Promise<void> {
    return this.tips.announce(manager, caseId, milestone, note);
  }
}
