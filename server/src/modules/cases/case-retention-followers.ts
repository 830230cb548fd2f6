import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What a module above cases does when finished cases are pseudonymised: strips its own copies of their text. */
export interface CaseRetentionFollower {
  pseudonymiseCases(manager: EntityManager, caseIds: string[]): Promise<void>;
}

/**
 * BRIEF §7: retention reaches every copy of a case's text. Modules that copy it into their own tables
 * (the school line's reports of a pupil) register here in their onModuleInit, so cases imports none
 * of them. Runs in the retention batch's transaction.
 */
@Injectable()
export class CaseRetentionFollowers {
  private readonly followers: CaseRetentionFollower[] = [];

  register(follower: CaseRetentionFollower): void {
    this.followers.push(follower);
  }

  async pseudonymiseCases(manager: EntityManager, caseIds: string[]): Promise<void> {
    for (const follower of this.followers) await follower.pseudonymiseCases(manager, caseIds);
  }
}
