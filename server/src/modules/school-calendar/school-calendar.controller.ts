import { Body, Controller, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Roles, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { SchoolCalendarService } from './school-calendar.service';

/** The county school calendar: every official of the county reads it, the county admin keeps it. */
@Controller()
export class SchoolCalendarController {
  constructor(private readonly calendar: SchoolCalendarService) {}

  @Endpoint('calendarGet')
  @Roles('official', 'county_admin', 'supervisor')
  get(@CurrentCaller() caller: Caller, @Query({ schema: contract.calendarGet.query }) query: z.output<typeof contract.calendarGet.query>) {
    return this.calendar.get(caller, query);
  }

  @Endpoint('calendarSetTerms')
  @RolesFor('manage_calendar')
  setTerms(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.calendarSetTerms.body }) body: z.output<typeof contract.calendarSetTerms.body>,
  ) {
    return this.calendar.setTerms(caller, body);
  }

  @Endpoint('calendarSetDay')
  @RolesFor('manage_calendar')
  setDay(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.calendarSetDay.params }) params: { day: string },
    @Body({ schema: contract.calendarSetDay.body }) body: z.output<typeof contract.calendarSetDay.body>,
  ) {
    return this.calendar.setDay(caller, params.day, body);
  }

  @Endpoint('calendarResetDay')
  @RolesFor('manage_calendar')
  resetDay(@CurrentCaller() caller: Caller, @Param({ schema: contract.calendarResetDay.params }) params: { day: string }) {
    return this.calendar.resetDay(caller, params.day);
  }
}
