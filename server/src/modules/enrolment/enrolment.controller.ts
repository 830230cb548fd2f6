import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Roles, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { EnrolmentNoticesService } from './enrolment-notices.service';
import { EnrolmentService } from './enrolment.service';

type Body<K extends keyof typeof contract> = (typeof contract)[K] extends { body: infer S extends z.ZodType } ? z.output<S> : never;

function sendPdf(response: Response, file: { fileName: string; content: Buffer }): void {
  response.setHeader('Content-Type', 'application/pdf');
  response.setHeader('Content-Disposition', `inline; filename="notice.pdf"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`);
  response.setHeader('Cache-Control', 'no-store');
  response.end(file.content);
}

/** Enrolment notices 入学通知书: issued in bulk, followed up, read and acknowledged, deferred with approval. */
@Controller()
export class EnrolmentController {
  constructor(
    private readonly enrolment: EnrolmentService,
    private readonly notices: EnrolmentNoticesService,
  ) {}

  @Endpoint('enrolmentIssue')
  @RolesFor('issue_enrolment_notices')
  issue(@CurrentCaller() caller: Caller, @Body({ schema: contract.enrolmentIssue.body }) body: Body<'enrolmentIssue'>) {
    return this.enrolment.issue(caller, body);
  }

  @Endpoint('enrolmentBatches')
  @Roles('official', 'county_admin')
  batches(@CurrentCaller() caller: Caller) {
    return this.enrolment.batches(caller);
  }

  @Endpoint('enrolmentBatchPdf')
  @Roles('official', 'county_admin')
  async batchPdf(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.enrolmentBatchPdf.params }) params: { id: string },
    @Res() response: Response,
  ) {
    sendPdf(response, await this.enrolment.batchPdf(caller, params.id));
  }

  @Endpoint('enrolmentRemind')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  remind(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.enrolmentRemind.params }) params: { id: string },
    @Body({ schema: contract.enrolmentRemind.body }) body: Body<'enrolmentRemind'>,
  ) {
    return this.enrolment.remind(caller, params.id, body.under);
  }

  @Endpoint('enrolmentFollowUp')
  @Roles('official', 'county_admin')
  followUp(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.enrolmentFollowUp.query }) query: z.output<typeof contract.enrolmentFollowUp.query>,
  ) {
    return this.enrolment.followUp(caller, query);
  }

  /** Registered before `/enrolment/notices/:id` so `mine` is not read as an id. */
  @Endpoint('enrolmentMine')
  @Roles('parent')
  mine(@CurrentCaller() caller: Caller) {
    return this.notices.mine(caller);
  }

  @Endpoint('enrolmentGet')
  @Roles('parent', 'official', 'county_admin')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.enrolmentGet.params }) params: { id: string }) {
    return this.notices.get(caller, params.id);
  }

  @Endpoint('enrolmentPdf')
  @Roles('parent', 'official', 'county_admin')
  async pdf(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.enrolmentPdf.params }) params: { id: string },
    @Res() response: Response,
  ) {
    sendPdf(response, await this.notices.pdfOf(caller, params.id));
  }

  @Endpoint('enrolmentAcknowledge')
  @Roles('parent')
  @HttpCode(200)
  acknowledge(@CurrentCaller() caller: Caller, @Param({ schema: contract.enrolmentAcknowledge.params }) params: { id: string }) {
    return this.notices.acknowledge(caller, params.id);
  }

  @Endpoint('deferralsApply')
  @Roles('parent')
  @HttpCode(200)
  applyDeferral(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.deferralsApply.params }) params: { id: string },
    @Body({ schema: contract.deferralsApply.body }) body: Body<'deferralsApply'>,
  ) {
    return this.notices.applyDeferral(caller, params.id, body);
  }

  @Endpoint('deferralsList')
  @Roles('official', 'county_admin')
  deferrals(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.deferralsList.query }) query: z.output<typeof contract.deferralsList.query>,
  ) {
    return this.notices.deferrals(caller, query.status);
  }

  @Endpoint('deferralsDecide')
  @RolesFor('decide_deferral')
  @HttpCode(200)
  decide(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.deferralsDecide.params }) params: { id: string },
    @Body({ schema: contract.deferralsDecide.body }) body: Body<'deferralsDecide'>,
  ) {
    return this.notices.decide(caller, params.id, body);
  }
}
