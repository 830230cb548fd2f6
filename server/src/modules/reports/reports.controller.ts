import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract, REPORT_KINDS } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Clock } from '../../common/clock';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { reportWorkbook } from './report-sheet';
import { ReportsService } from './reports.service';

type Id = { id: string };

/** Periodic reports (BRIEF §5a): a unit makes and submits its own; the level above approves, returns or reopens them. */
@Controller()
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly clock: Clock,
  ) {}

  /** Registered before `/reports/:id` so `mine` is not read as an id. */
  @Endpoint('reportsMine')
  @RolesFor('read_report')
  mine(@CurrentCaller() caller: Caller) {
    return this.reports.mine(caller);
  }

  @Endpoint('reportsList')
  @RolesFor('read_report')
  list(@CurrentCaller() caller: Caller, @Query({ schema: contract.reportsList.query }) query: z.output<typeof contract.reportsList.query>) {
    return this.reports.list(caller, query);
  }

  @Endpoint('reportsOpen')
  @HttpCode(200)
  @RolesFor('submit_report')
  open(@CurrentCaller() caller: Caller, @Body({ schema: contract.reportsOpen.body }) body: z.output<typeof contract.reportsOpen.body>) {
    return this.reports.open(caller, body);
  }

  @Endpoint('reportsGet')
  @RolesFor('read_report')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.reportsGet.params }) params: Id) {
    return this.reports.get(caller, params.id);
  }

  @Endpoint('reportsUpdate')
  @RolesFor('submit_report')
  update(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.reportsUpdate.params }) params: Id,
    @Body({ schema: contract.reportsUpdate.body }) body: z.output<typeof contract.reportsUpdate.body>,
  ) {
    return this.reports.update(caller, params.id, body);
  }

  @Endpoint('reportsSubmit')
  @HttpCode(200)
  @RolesFor('submit_report')
  submit(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.reportsSubmit.params }) params: Id,
    @Body({ schema: contract.reportsSubmit.body }) body: z.output<typeof contract.reportsSubmit.body>,
  ) {
    return this.reports.submit(caller, params.id, body);
  }

  @Endpoint('reportsApprove')
  @HttpCode(200)
  @RolesFor('review_report')
  approve(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.reportsApprove.params }) params: Id,
    @Body({ schema: contract.reportsApprove.body }) body: z.output<typeof contract.reportsApprove.body>,
  ) {
    return this.reports.approve(caller, params.id, body);
  }

  @Endpoint('reportsReturn')
  @HttpCode(200)
  @RolesFor('review_report')
  return(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.reportsReturn.params }) params: Id,
    @Body({ schema: contract.reportsReturn.body }) body: z.output<typeof contract.reportsReturn.body>,
  ) {
    return this.reports.return(caller, params.id, body);
  }

  @Endpoint('reportsReopen')
  @HttpCode(200)
  @RolesFor('review_report')
  reopen(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.reportsReopen.params }) params: Id,
    @Body({ schema: contract.reportsReopen.body }) body: z.output<typeof contract.reportsReopen.body>,
  ) {
    return this.reports.reopen(caller, params.id, body);
  }

  @Endpoint('reportsExport')
  @RolesFor('read_report')
  async export(@CurrentCaller() caller: Caller, @Param({ schema: contract.reportsExport.params }) params: Id, @Res() response: Response) {
    const { view, unitName } = await this.reports.exportOf(caller, params.id);
    const content = await reportWorkbook(view, this.clock.now());
    const fileName = `${unitName}${view.periodLabel}${REPORT_KINDS[view.kind]}.xlsx`;
    response.setHeader('Content-Type', contract.reportsExport.binary);
    response.setHeader('Content-Disposition', `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.end(content);
  }
}
