import { Body, Controller, HttpCode, Param } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Roles } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { BindingService } from './binding.service';

/** A parent's children: binding with the code on the notice, the list, unbinding; officials see guardians in scope. */
@Controller()
export class GuardiansController {
  constructor(private readonly binding: BindingService) {}

  @Endpoint('childrenBind')
  @Roles('parent')
  @HttpCode(200)
  bind(@CurrentCaller() caller: Caller, @Body({ schema: contract.childrenBind.body }) body: z.output<typeof contract.childrenBind.body>) {
    return this.binding.bind(caller, body);
  }

  @Endpoint('childrenMine')
  @Roles('parent')
  mine(@CurrentCaller() caller: Caller) {
    return this.binding.mine(caller);
  }

  @Endpoint('childrenUnbind')
  @Roles('parent')
  @HttpCode(200)
  unbind(@CurrentCaller() caller: Caller, @Param({ schema: contract.childrenUnbind.params }) params: { id: string }) {
    return this.binding.unbind(caller, params.id);
  }

  @Endpoint('childrenGuardians')
  @Roles('official', 'county_admin')
  guardians(@CurrentCaller() caller: Caller, @Param({ schema: contract.childrenGuardians.params }) params: { id: string }) {
    return this.binding.guardiansOf(caller, params.id);
  }
}
