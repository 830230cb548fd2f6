import { Body, Controller, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { SpotChecksService } from './spot-checks.service';

/** 督导 spot checks: the county draws, inspectors record findings; 整改 items go to the townships and back. */
@Controller()
export class SpotChecksController {
  constructor(private readonly spotChecks: SpotChecksService) {}

  @Endpoint('spotChecksDraw')
  @RolesFor('draw_spot_check')
  draw(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.spotChecksDraw.body }) body: z.output<typeof contract.spotChecksDraw.body>,
  ) {
    return this.spotChecks.draw(caller, body);
  }

  @Endpoint('spotChecksList')
  @RolesFor('read_spot_check')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.spotChecksList.query }) query: z.output<typeof contract.spotChecksList.query>,
  ) {
    return this.spotChecks.list(caller, query);
  }

  @Endpoint('spotChecksGet')
  @RolesFor('read_spot_check')
  get(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.spotChecksGet.params }) params: { id: string },
    @Query({ schema: contract.spotChecksGet.query }) query: z.output<typeof contract.spotChecksGet.query>,
  ) {
    return this.spotChecks.get(caller, params.id, query.township);
  }

  @Endpoint('spotChecksExport')
  @RolesFor('read_spot_check')
  async export(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.spotChecksExport.params }) params: { id: string },
    @Query({ schema: contract.spotChecksExport.query }) query: z.output<typeof contract.spotChecksExport.query>,
    @Res() response: Response,
  ) {
    const { fileName, content } = await this.spotChecks.export(caller, params.id, query.township);
    response.setHeader('Content-Type', contract.spotChecksExport.binary);
    response.setHeader('Content-Disposition', `attachment; filename="spot-check.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.end(content);
  }

  @Endpoint('spotChecksRecordFinding')
  @RolesFor('inspect_spot_check')
  recordFinding(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.spotChecksRecordFinding.params }) params: { id: string; itemId: string },
    @Body({ schema: contract.spotChecksRecordFinding.body }) body: z.output<typeof contract.spotChecksRecordFinding.body>,
  ) {
    return this.spotChecks.recordFinding(caller, params.id, params.itemId, body);
  }

  @Endpoint('rectificationsList')
  @RolesFor('read_rectification')
  rectifications(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.rectificationsList.query }) query: z.output<typeof contract.rectificationsList.query>,
  ) {
    return this.spotChecks.rectifications(caller, query);
  }

  @Endpoint('rectificationsReport')
  @RolesFor('report_rectification')
  report(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.rectificationsReport.params }) params: { id: string },
    @Body({ schema: contract.rectificationsReport.body }) body: z.output<typeof contract.rectificationsReport.body>,
  ) {
    return this.spotChecks.reportRectification(caller, params.id, body);
  }

  @Endpoint('rectificationsReview')
  @RolesFor('review_rectification')
  review(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.rectificationsReview.params }) params: { id: string },
    @Body({ schema: contract.rectificationsReview.body }) body: z.output<typeof contract.rectificationsReview.body>,
  ) {
    return this.spotChecks.reviewRectification(caller, params.id, body);
  }
}
