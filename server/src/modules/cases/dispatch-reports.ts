import { Injectable } from '@nestjs/common';
import type { DispatchReportItem } from '@baoxue/shared';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../../common/auth/caller';

type Source = (manager: EntityManager, caller: Caller, now: Date) => Promise<DispatchReportItem[]>;

/**
 * The periodic reports the dispatch list shows (BRIEF §5a: a late or returned report appears on the
 * list of the level above). The reports module keeps them and plugs its query in when it starts
 * (ReportsModule.onModuleInit): it imports this module, so this one cannot import it. Until then
 * (a module set without reports) there are none.
 */
@Injectable()
export class DispatchReports {
  private source: Source | null = null;

  plug(source: Source): void {
    if (this.source) throw new Error('the dispatch list reports are plugged in twice');
    this.source = source;
  }

  list(manager: EntityManager, caller: Caller, now: Date): Promise<DispatchReportItem[]> {
    return this.source ? this.source(manager, caller, now) : Promise.resolve([]);
  }
}
