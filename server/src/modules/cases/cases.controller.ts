import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Roles } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { CasesService } from './cases.service';
import { LedgerService } from './ledger.service';

@Controller()
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly ledgers: LedgerService,
  ) {}

  @Endpoint('casesList')
  @Roles('official', 'county_admin')
  list(@CurrentCaller() caller: Caller, @Query({ schema: contract.casesList.query }) query: z.output<typeof contract.casesList.query>) {
    return this.cases.list(caller, query);
  }

  @Endpoint('casesTriage')
  @Roles('county_admin')
  triage(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.casesTriage.query }) query: z.output<typeof contract.casesTriage.query>,
  ) {
    return this.cases.list(caller, query, true);
  }

  /** Registered before `/cases/:id` so `ledger` is not read as an id. */
  @Endpoint('casesLedger')
  @Roles('official', 'county_admin')
  async ledger(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.casesLedger.query }) query: z.output<typeof contract.casesLedger.query>,
    @Res() response: Response,
  ) {
    const { fileName, content } = await this.ledgers.export(caller, query);
    response.setHeader('Content-Type', contract.casesLedger.binary);
    response.setHeader('Content-Disposition', `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
    response.setHeader('Cache-Control', 'no-store');
    response.end(content);
  }

  @Endpoint('casesGet')
  @Roles('official', 'county_admin')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.casesGet.params }) params: { id: string }) {
    return this.cases.get(caller, params.id);
  }

  @Endpoint('casesAssignees')
  @Roles('official', 'county_admin')
  assignees(@CurrentCaller() caller: Caller, @Param({ schema: contract.casesAssignees.params }) params: { id: string }) {
    return this.cases.assignees(caller, params.id);
  }

  @Endpoint('casesAccept')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  accept(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesAccept.params }) params: { id: string },
    @Body({ schema: contract.casesAccept.body }) body: z.output<typeof contract.casesAccept.body>,
  ) {
    return this.cases.accept(caller, params.id, body);
  }

  @Endpoint('casesRoute')
  @Roles('county_admin')
  @HttpCode(200)
  route(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesRoute.params }) params: { id: string },
    @Body({ schema: contract.casesRoute.body }) body: z.output<typeof contract.casesRoute.body>,
  ) {
    return this.cases.route(caller, params.id, body);
  }

  @Endpoint('casesReturnToTriage')
  @Roles('official')
  @HttpCode(200)
  returnToTriage(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesReturnToTriage.params }) params: { id: string },
    @Body({ schema: contract.casesReturnToTriage.body }) body: z.output<typeof contract.casesReturnToTriage.body>,
  ) {
    return this.cases.returnToTriage(caller, params.id, body.reason);
  }

  @Endpoint('casesMerge')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  merge(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.casesMerge.params }) params: { id: string },
    @Body({ schema: contract.casesMerge.body }) body: z.output<typeof contract.casesMerge.body>,
  ) {
    return this.cases.merge(caller, params.id, body.intoCaseId, body.reason);
  }
}
