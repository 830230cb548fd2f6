import { Body, Controller, HttpCode, Param, Query } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { NotificationsService } from './notifications.service';

/** Everyone's own messages and subscriptions: scoped to the caller by construction. */
@Controller()
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Endpoint('messagesList')
  @SignedIn()
  list(
    @CurrentCaller() caller: Caller,
    @Query({ schema: contract.messagesList.query }) query: z.output<typeof contract.messagesList.query>,
  ) {
    return this.notifications.list(caller, query);
  }

  @Endpoint('messagesReadAll')
  @SignedIn()
  @HttpCode(200)
  readAll(@CurrentCaller() caller: Caller) {
    return this.notifications.markAllRead(caller);
  }

  @Endpoint('messagesRead')
  @SignedIn()
  @HttpCode(200)
  read(@CurrentCaller() caller: Caller, @Param({ schema: contract.messagesRead.params }) params: { id: string }) {
    return this.notifications.markRead(caller, params.id);
  }

  @Endpoint('subscriptionsGet')
  @SignedIn()
  subscriptions(@CurrentCaller() caller: Caller) {
    return this.notifications.subscriptions(caller);
  }

  @Endpoint('subscriptionsRecord')
  @SignedIn()
  @HttpCode(200)
  record(
    @CurrentCaller() caller: Caller,
    @Body({ schema: contract.subscriptionsRecord.body }) body: z.output<typeof contract.subscriptionsRecord.body>,
  ) {
    return this.notifications.recordSubscriptions(caller, body.accepted);
  }
}
