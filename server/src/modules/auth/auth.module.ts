import { type DynamicModule, Module } from '@nestjs/common';
import { SessionAuthenticator } from '../../common/auth/session-authenticator';
import { AccountSessions } from '../accounts/account-sessions';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { DivisionsModule } from '../divisions/divisions.module';
import { SchoolsModule } from '../schools/schools.module';
import { WechatModule } from '../wechat/wechat.module';
import { AuthController, DevLoginController } from './auth.controller';
import { AuthService } from './auth.service';
import { SessionsService } from './sessions.service';

@Module({})
export class AuthModule {
  static register(options: { devLogin: boolean }): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [AccountsModule, AuditModule, DivisionsModule, SchoolsModule, WechatModule],
      controllers: options.devLogin ? [AuthController, DevLoginController] : [AuthController],
      providers: [
        AuthService,
        SessionsService,
        { provide: SessionAuthenticator, useExisting: SessionsService },
        { provide: AccountSessions, useExisting: SessionsService },
      ],
      exports: [SessionsService, SessionAuthenticator, AccountSessions],
    };
  }
}
