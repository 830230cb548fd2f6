import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Roles, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { LeaveService } from './leave.service';

@Controller()
export class LeaveController {
  constructor(private readonly leave: LeaveService) {}

  /** 201 for a new request; 200 when the `clientKey` names one already stored. */
  @Endpoint('leaveCreate')
  @RolesFor('request_leave')
  async create(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.leaveCreate.body }) body: z.output<typeof contract.leaveCreate.body>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { leave, created } = await this.leave.create(caller, body);
    response.status(created ? 201 : 200);
    return leave;
  }

  /** Registered before `/leave-requests/:id/…`; a parent's own children's requests. */
  @Endpoint('leaveMine')
  @Roles('parent')
  mine(@CurrentCaller() caller: Caller, @Query({ schema: contract.leaveMine.query }) query: z.output<typeof contract.leaveMine.query>) {
    return this.leave.mine(caller, query);
  }

  @Endpoint('leaveList')
  @RolesFor('decide_leave')
  list(@CurrentCaller() caller: Caller, @Query({ schema: contract.leaveList.query }) query: z.output<typeof contract.leaveList.query>) {
    return this.leave.list(caller, query);
  }

  @Endpoint('leaveWithdraw')
  @RolesFor('request_leave')
  @HttpCode(200)
  withdraw(@CurrentCaller() caller: Caller, @Param({ schema: contract.leaveWithdraw.params }) params: { id: string }) {
    return this.leave.withdraw(caller, params.id);
  }

  @Endpoint('leaveDecide')
  @RolesFor('decide_leave')
  @HttpCode(200)
  decide(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.leaveDecide.params }) params: { id: string },
    @Body({ schema: contract.leaveDecide.body }) body: z.output<typeof contract.leaveDecide.body>,
  ) {
    return this.leave.decide(caller, params.id, body);
  }
}
