import { Body, Controller } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { ClassesService } from './classes.service';

@Controller()
export class ClassesController {
  constructor(private readonly classes: ClassesService) {}

  @Endpoint('classesList')
  @RolesFor('read_class')
  list(@CurrentCaller() caller: Caller) {
    return this.classes.list(caller);
  }

  /** Registered before any `/classes/:…` route. */
  @Endpoint('classesStaff')
  @RolesFor('manage_classes')
  staff(@CurrentCaller() caller: Caller) {
    return this.classes.staff(caller);
  }

  @Endpoint('classesSetTeachers')
  @RolesFor('manage_classes')
  setTeachers(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.classesSetTeachers.body }) body: z.output<typeof contract.classesSetTeachers.body>,
  ) {
    return this.classes.setTeachers(caller, body);
  }
}
