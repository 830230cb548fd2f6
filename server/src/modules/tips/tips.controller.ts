import { Body, Controller, HttpCode, Param, Query, Res } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { Response } from 'express';
import type { z } from 'zod';
import { Roles } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { TipsService } from './tips.service';

@Controller()
export class TipsController {
  constructor(private readonly tips: TipsService) {}

  /** 201 for a new tip; 200 when the idempotency key names a tip already stored. */
  @Endpoint('tipsCreate')
  @Roles('supervisor')
  async create(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.tipsCreate.body }) body: z.output<typeof contract.tipsCreate.body>,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { tip, message, created } = await this.tips.create(caller, body);
    response.status(created ? 201 : 200);
    return { tip, message };
  }

  @Endpoint('tipsMine')
  @Roles('supervisor')
  mine(@CurrentCaller() caller: Caller, @Query({ schema: contract.tipsMine.query }) query: z.output<typeof contract.tipsMine.query>) {
    return this.tips.mine(caller, query);
  }

  @Endpoint('tipsGet')
  @Roles('supervisor')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.tipsGet.params }) params: { id: string }) {
    return this.tips.getOwn(caller, params.id);
  }

  @Endpoint('tipsReveal')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  reveal(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.tipsReveal.params }) params: { id: string },
    @Body({ schema: contract.tipsReveal.body }) body: z.output<typeof contract.tipsReveal.body>,
  ) {
    return this.tips.revealTipster(caller, params.id, body.reason);
  }

  @Endpoint('tipsSplit')
  @Roles('official', 'county_admin')
  @HttpCode(200)
  split(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.tipsSplit.params }) params: { id: string },
    @Body({ schema: contract.tipsSplit.body }) body: z.output<typeof contract.tipsSplit.body>,
  ) {
    return this.tips.split(caller, params.id, body.reason);
  }
}
