import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';

@Module({ imports: [AccountsModule, DivisionsModule], controllers: [InvitationsController], providers: [InvitationsService] })
export class InvitationsModule {}
