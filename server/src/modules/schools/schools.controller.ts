import { Body, Controller, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { SchoolsService } from './schools.service';

@Controller()
export class SchoolsController {
  constructor(private readonly schools: SchoolsService) {}

  @Endpoint('schoolsList')
  @SignedIn()
  list(@CurrentCaller() caller: Caller, @Query({ schema: contract.schoolsList.query }) query: z.output<typeof contract.schoolsList.query>) {
    return this.schools.list(caller, query);
  }

  @Endpoint('schoolsGet')
  @SignedIn()
  get(@Param({ schema: contract.schoolsGet.params }) params: { id: string }) {
    return this.schools.get(params.id);
  }

  @Endpoint('schoolsCreate')
  @RolesFor('manage_schools')
  create(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.schoolsCreate.body }) body: z.output<typeof contract.schoolsCreate.body>,
  ) {
    return this.schools.create(caller, body);
  }

  @Endpoint('schoolsUpdate')
  @RolesFor('manage_schools')
  update(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.schoolsUpdate.params }) params: { id: string },
    @Body({ schema: contract.schoolsUpdate.body }) body: z.output<typeof contract.schoolsUpdate.body>,
  ) {
    return this.schools.update(caller, params.id, body);
  }
}
