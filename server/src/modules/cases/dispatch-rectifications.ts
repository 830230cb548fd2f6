import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';

/** A 整改 item on the dispatch list (一日一调度): still with its township, overdue or not. */
export interface DispatchRectification {
  id: string;
  caseNumber: string;
  townshipName: string;
  problem: string;
  deadlineOn: string;
  overdue: boolean;
}

type Source = (manager: EntityManager, caller: Caller, now: Date) => Promise<DispatchRectification[]>;

/**
 * The 整改 items of 督导 spot checks the dispatch list shows. The spot-checks module keeps them and
 * plugs its query in when it starts (SpotChecksModule.onModuleInit): it imports this module, so this
 * one cannot import it. Until then (a module set without spot checks) there are none.
 */
@Injectable()
export class DispatchRectifications {
  private source: Source | null = null;

  plug(source: Source): void {
    if (this.source) throw new Error('the dispatch list rectifications are plugged in twice');
    this.source = source;
  }

  list(manager: EntityManager, caller: Caller, now: Date): Promise<DispatchRectification[]> {
    return this.source ? this.source(manager, caller, now) : Promise.resolve([]);
  }
}
