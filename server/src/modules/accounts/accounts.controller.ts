import { Body, Controller, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Roles, RolesFor, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { AccountsService } from './accounts.service';

@Controller()
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Endpoint('me')
  @SignedIn()
  me(@CurrentCaller() caller: Caller) {
    return this.accounts.me(caller.userId);
  }

  @Endpoint('meUpdateProfile')
  @SignedIn()
  updateProfile(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.meUpdateProfile.body }) body: z.output<typeof contract.meUpdateProfile.body>,
  ) {
    return this.accounts.updateProfile(caller, body.displayName);
  }

  @Endpoint('mePrivacyConsent')
  @SignedIn()
  privacyConsent(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.mePrivacyConsent.body }) body: z.output<typeof contract.mePrivacyConsent.body>,
  ) {
    return this.accounts.recordPrivacyConsent(caller, body.version);
  }

  @Endpoint('accountsList')
  @RolesFor('read_account')
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.accountsList.query }) query: z.output<typeof contract.accountsList.query>,
  ) {
    return this.accounts.list(caller, query);
  }

  @Endpoint('accountsUpdate')
  @Roles('county_admin')
  update(
    @CurrentCaller() caller: Caller,
    @Param({ schema: contract.accountsUpdate.params }) params: { id: string },
    @Body({ schema: contract.accountsUpdate.body }) body: z.output<typeof contract.accountsUpdate.body>,
  ) {
    return this.accounts.setDisabled(caller, params.id, body.disabled);
  }
}
