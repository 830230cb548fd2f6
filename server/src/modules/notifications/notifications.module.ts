import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { WechatModule } from '../wechat/wechat.module';
import { NotificationRecords } from './notification-records';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxWorker } from './outbox.worker';

@Module({
  imports: [AccountsModule, WechatModule],
  controllers: [NotificationsController],
  providers: [NotificationsService, OutboxWorker, NotificationRecords],
  exports: [NotificationsService, OutboxWorker, NotificationRecords],
})
export class NotificationsModule {}
