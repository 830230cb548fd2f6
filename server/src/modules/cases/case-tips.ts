import type { OfficialTipView, TipMilestone } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';

/**
 * The stored tips of cases, as merges and retention move and strip them. The tips module, which owns
 * tips, provides it (TipRecords; plain queries, so a migration or the CLI can make one), so neither cases
 * nor children import tips.
 */
export abstract class CaseTipRecords {
  /** The ids of the tips that fed the case. */
  abstract idsOf(manager: EntityManager, caseId: string): Promise<string[]>;

  /** Moves every tip of one case to another (a merge of two cases of one child). */
  abstract moveAll(manager: EntityManager, fromCaseId: string, toCaseId: string): Promise<void>;

  /** Moves those of the given tips that are still on `fromCaseId` to `toCaseId`; returns how many moved. */
  abstract move(manager: EntityManager, tipIds: string[], fromCaseId: string, toCaseId: string): Promise<number>;

  /**
   * Strips the tips of finished cases of what names the child and of the tipster's contact (retention);
   * returns the ids of those tips (messages that link to them are stripped too) and of their photos, which
   * the caller deletes.
   */
  abstract pseudonymise(manager: EntityManager, caseIds: string[]): Promise<{ tipIds: string[]; photoIds: string[] }>;
}

/** The tips that fed a case, as the cases module needs them (the tips module provides it: CaseTipsService). */
export abstract class CaseTips extends CaseTipRecords {
  /** The case's tips as officials see them, oldest first: what was reported, never who reported it. */
  abstract officialViews(manager: EntityManager, caseId: string): Promise<OfficialTipView[]>;

  /** Tells every supervisor whose tip fed the case that it reached a milestone. */
  abstract announce(manager: EntityManager, caseId: string, milestone: TipMilestone, note: string | null): Promise<void>;
}
