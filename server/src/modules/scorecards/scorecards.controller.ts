import { Controller, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { ScorecardsService } from './scorecards.service';

/** 考核排名: a county's townships and schools, or a region's counties, ranked on their case work. */
@Controller()
export class ScorecardsController {
  constructor(private readonly scorecards: ScorecardsService) {}

  @Endpoint('scorecards')
  @RolesFor('read_scorecard')
  scorecard(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.scorecards.query }) query: z.output<typeof contract.scorecards.query>,
  ) {
    return this.scorecards.scorecard(caller, query);
  }
}
