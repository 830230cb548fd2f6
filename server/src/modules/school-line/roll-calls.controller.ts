import { Body, Controller, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { RollCallsService } from './roll-calls.service';

@Controller()
export class RollCallsController {
  constructor(private readonly rollCalls: RollCallsService) {}

  @Endpoint('rollCallsSheet')
  @RolesFor('read_roll_call')
  sheet(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.rollCallsSheet.query }) query: z.output<typeof contract.rollCallsSheet.query>,
  ) {
    return this.rollCalls.sheet(caller, query);
  }

  /** 201 for a new submission (or a same-day correction); 200 when the `clientKey` names one already stored. */
  @Endpoint('rollCallsSubmit')
  @RolesFor('take_roll_call')
  async submit(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.rollCallsSubmit.body }) body: z.output<typeof contract.rollCallsSubmit.body>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { created, rollCall, newAlerts } = await this.rollCalls.submit(caller, body);
    response.status(created ? 201 : 200);
    return { rollCall, newAlerts };
  }

  @Endpoint('rollCallsWeek')
  @RolesFor('read_roll_call')
  week(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.rollCallsWeek.query }) query: z.output<typeof contract.rollCallsWeek.query>,
  ) {
    return this.rollCalls.week(caller, query);
  }
}
