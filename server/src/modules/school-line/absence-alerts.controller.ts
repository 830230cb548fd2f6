import { Controller, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { AbsenceAlerts } from './absence-alerts.service';

@Controller()
export class AbsenceAlertsController {
  constructor(private readonly alerts: AbsenceAlerts) {}

  @Endpoint('absenceAlertsList')
  @RolesFor('read_absence_alert')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.absenceAlertsList.query }) query: z.output<typeof contract.absenceAlertsList.query>,
  ) {
    return this.alerts.list(caller, query);
  }
}
