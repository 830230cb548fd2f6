import { Body, Controller, Param } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { ConsolidationService } from './consolidation.service';

/** The county's grade-1 intakes of earlier years, from which 巩固率 is computed. */
@Controller()
export class ConsolidationController {
  constructor(private readonly consolidation: ConsolidationService) {}

  @Endpoint('statsIntakes')
  @RolesFor('manage_cohort_intake')
  intakes(@CurrentCaller() caller: Caller) {
    return this.consolidation.intakes(caller);
  }

  @Endpoint('statsIntakeSet')
  @RolesFor('manage_cohort_intake')
  setIntake(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.statsIntakeSet.params }) params: z.output<typeof contract.statsIntakeSet.params>,
    @Body({ schema: contract.statsIntakeSet.body }) body: z.output<typeof contract.statsIntakeSet.body>,
  ) {
    return this.consolidation.setIntake(caller, params.entryYear, body);
  }
}
