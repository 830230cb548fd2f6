import { type DynamicModule, Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
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
      imports: [AccountsModule, WechatModule],
      controllers: options.devLogin ? [AuthController, DevLoginController] : [AuthController],
      providers: [AuthService, SessionsService],
      exports: [SessionsService],
    };
  }
}
