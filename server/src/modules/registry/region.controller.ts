import { Controller, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { StatsService } from './stats.service';

/** Above the county (市、省教育局): the figures of the region's counties, aggregates only. */
@Controller()
export class RegionController {
  constructor(private readonly stats: StatsService) {}

  @Endpoint('regionOverview')
  @RolesFor('read_region')
  overview(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.regionOverview.query }) query: z.output<typeof contract.regionOverview.query>,
  ) {
    return this.stats.regionOverview(caller, query.schoolYear);
  }
}
