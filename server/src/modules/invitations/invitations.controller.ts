import { Body, Controller, HttpCode, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { RolesFor, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { InvitationsService } from './invitations.service';

@Controller()
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Endpoint('invitationsRedeem')
  @SignedIn()
  @HttpCode(200)
  redeem(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.invitationsRedeem.body }) body: z.output<typeof contract.invitationsRedeem.body>,
  ) {
    return this.invitations.redeem(caller, body.code, body.displayName, body.confirmRoleChange);
  }

  @Endpoint('invitationsCreate')
  @RolesFor('issue_invitations')
  create(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.invitationsCreate.body }) body: z.output<typeof contract.invitationsCreate.body>,
  ) {
    return this.invitations.create(caller, body);
  }

  @Endpoint('invitationsList')
  @RolesFor('read_invitation')
  async list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.invitationsList.query }) query: z.output<typeof contract.invitationsList.query>,
  ) {
    return { items: await this.invitations.list(caller, query.status) };
  }

  @Endpoint('invitationsRevoke')
  @RolesFor('issue_invitations')
  @HttpCode(200)
  revoke(@CurrentCaller() caller: Caller, @Param({ schema: contract.invitationsRevoke.params }) params: { id: string }) {
    return this.invitations.revoke(caller, params.id);
  }
}
