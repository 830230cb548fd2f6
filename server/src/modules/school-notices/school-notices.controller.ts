import { Body, Controller, HttpCode, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Roles, RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { SchoolNoticesService } from './school-notices.service';

@Controller()
export class SchoolNoticesController {
  constructor(private readonly notices: SchoolNoticesService) {}

  @Endpoint('schoolNoticesSend')
  @RolesFor('send_school_notice')
  send(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.schoolNoticesSend.body }) body: z.output<typeof contract.schoolNoticesSend.body>,
  ) {
    return this.notices.send(caller, body);
  }

  @Endpoint('schoolNoticesList')
  @Roles('official', 'county_admin')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.schoolNoticesList.query }) query: z.output<typeof contract.schoolNoticesList.query>,
  ) {
    return this.notices.list(caller, query);
  }

  /** Registered before `/school-notices/:id` so `mine` is not read as an id. */
  @Endpoint('schoolNoticesMine')
  @Roles('parent')
  mine(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.schoolNoticesMine.query }) query: z.output<typeof contract.schoolNoticesMine.query>,
  ) {
    return this.notices.mine(caller, query);
  }

  @Endpoint('schoolNoticesGet')
  @Roles('official', 'county_admin')
  get(@CurrentCaller() caller: Caller, @Param({ schema: contract.schoolNoticesGet.params }) params: { id: string }) {
    return this.notices.get(caller, params.id);
  }

  @Endpoint('schoolNoticesRead')
  @Roles('parent')
  @HttpCode(200)
  read(@CurrentCaller() caller: Caller, @Param({ schema: contract.schoolNoticesRead.params }) params: { id: string }) {
    return this.notices.read(caller, params.id);
  }
}
