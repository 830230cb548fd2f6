import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { CrosscheckService } from './crosscheck.service';
import { StatsService } from './stats.service';

@Controller()
export class CrosscheckController {
  constructor(
    private readonly crosscheck: CrosscheckService,
    private readonly stats: StatsService,
  ) {}

  @Endpoint('crosscheckStart')
  @RolesFor('run_crosscheck')
  start(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.crosscheckStart.body }) body: z.output<typeof contract.crosscheckStart.body>,
  ) {
    return this.crosscheck.start(caller, body.schoolYear);
  }

  @Endpoint('crosscheckRuns')
  @RolesFor('run_crosscheck')
  runs(@CurrentCaller() caller: Caller) {
    return this.crosscheck.list(caller);
  }

  @Endpoint('crosscheckRunGet')
  @RolesFor('run_crosscheck')
  run(@CurrentCaller() caller: Caller, @Param({ schema: contract.crosscheckRunGet.params }) params: { id: string }) {
    return this.crosscheck.view(caller, params.id);
  }

  @Endpoint('crosscheckReviews')
  @RolesFor('run_crosscheck')
  reviews(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.crosscheckReviews.query }) query: z.output<typeof contract.crosscheckReviews.query>,
  ) {
    return this.crosscheck.reviews(caller, query);
  }

  @Endpoint('crosscheckDecide')
  @RolesFor('run_crosscheck')
  @HttpCode(200)
  decide(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.crosscheckDecide.params }) params: { id: string },
    @Body({ schema: contract.crosscheckDecide.body }) body: z.output<typeof contract.crosscheckDecide.body>,
  ) {
    return this.crosscheck.decide(caller, params.id, body.decision);
  }

  @Endpoint('statsDropout')
  @RolesFor('read_stats')
  dropout(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.statsDropout.query }) query: z.output<typeof contract.statsDropout.query>,
  ) {
    return this.stats.dropout(caller, query);
  }

  @Endpoint('statsExport')
  @RolesFor('read_stats')
  async export(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.statsExport.query }) query: z.output<typeof contract.statsExport.query>,
    @Res() response: Response,
  ) {
    const { fileName, content } = await this.stats.export(caller, query);
    response.setHeader('Content-Type', contract.statsExport.binary);
    response.setHeader('Content-Disposition', `attachment; filename="stats.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.end(content);
  }
}
