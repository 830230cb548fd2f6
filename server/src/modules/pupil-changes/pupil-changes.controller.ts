import { Body, Controller, HttpCode, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { PupilChangesService } from './pupil-changes.service';

@Controller()
export class PupilChangesController {
  constructor(private readonly changes: PupilChangesService) {}

  @Endpoint('pupilChangesCreate')
  @RolesFor('record_pupil_change')
  create(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.pupilChangesCreate.body }) body: z.output<typeof contract.pupilChangesCreate.body>,
  ) {
    return this.changes.create(caller, body);
  }

  @Endpoint('pupilChangesList')
  @RolesFor('read_pupil_change')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.pupilChangesList.query }) query: z.output<typeof contract.pupilChangesList.query>,
  ) {
    return this.changes.list(caller, query);
  }

  @Endpoint('pupilChangesConfirm')
  @RolesFor('confirm_transfer_in')
  @HttpCode(200)
  confirm(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.pupilChangesConfirm.params }) params: { id: string },
    @Body({ schema: contract.pupilChangesConfirm.body }) body: z.output<typeof contract.pupilChangesConfirm.body>,
  ) {
    return this.changes.confirm(caller, params.id, body);
  }

  @Endpoint('pupilChangesDecide')
  @RolesFor('decide_suspension')
  @HttpCode(200)
  decide(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.pupilChangesDecide.params }) params: { id: string },
    @Body({ schema: contract.pupilChangesDecide.body }) body: z.output<typeof contract.pupilChangesDecide.body>,
  ) {
    return this.changes.decideSuspension(caller, params.id, body);
  }
}
