import { Body, Controller, HttpCode, Param } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { FollowUpService } from './follow-up.service';

@Controller()
export class FollowUpController {
  constructor(private readonly followUp: FollowUpService) {}

  @Endpoint('pupilsFollowUp')
  @RolesFor('read_absence_alert')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.pupilsFollowUp.params }) params: { id: string }) {
    return this.followUp.followUp(caller, params.id);
  }

  @Endpoint('pupilsFamilyContact')
  @RolesFor('follow_absence')
  contact(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.pupilsFamilyContact.params }) params: { id: string },
    @Body({ schema: contract.pupilsFamilyContact.body }) body: z.output<typeof contract.pupilsFamilyContact.body>,
  ) {
    return this.followUp.recordContact(caller, params.id, body);
  }

  /** 200 whether the report opened a case or joined the child's open one (`existing`), and on a retry. */
  @Endpoint('pupilsReport')
  @RolesFor('follow_absence')
  @HttpCode(200)
  report(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.pupilsReport.params }) params: { id: string },
    @Body({ schema: contract.pupilsReport.body }) body: z.output<typeof contract.pupilsReport.body>,
  ) {
    return this.followUp.report(caller, params.id, body);
  }
}
