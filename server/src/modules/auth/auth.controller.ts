import { Body, Controller, HttpCode, Ip } from '@nestjs/common';
import { contract } from '@baoxue/shared';
import type { z } from 'zod';
import { Public, SignedIn } from '../../common/auth/access.decorator';
import { CurrentCaller, type Caller } from '../../common/auth/caller';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Endpoint('authOptions')
  @Public()
  options() {
    return this.auth.options();
  }

  @Endpoint('authWechatLogin')
  @Public()
  @HttpCode(200)
  wechatLogin(@Body({ schema: contract.authWechatLogin.body }) body: z.output<typeof contract.authWechatLogin.body>, @Ip() ip: string) {
    return this.auth.wechatLogin(body.code, ip);
  }

  @Endpoint('authDesktopCode')
  @SignedIn()
  desktopCode(@CurrentCaller() caller: Caller) {
    return this.auth.desktopCode(caller);
  }

  @Endpoint('authDesktopLogin')
  @Public()
  @HttpCode(200)
  desktopLogin(@Body({ schema: contract.authDesktopLogin.body }) body: z.output<typeof contract.authDesktopLogin.body>, @Ip() ip: string) {
    return this.auth.desktopLogin(body.code, ip);
  }

  @Endpoint('authLogout')
  @SignedIn()
  @HttpCode(200)
  logout(@CurrentCaller() caller: Caller) {
    return this.auth.logout(caller);
  }
}

/** Registered only outside production (see AuthModule). */
@Controller()
export class DevLoginController {
  constructor(private readonly auth: AuthService) {}

  @Endpoint('authDevLogin')
  @Public()
  @HttpCode(200)
  devLogin(@Body({ schema: contract.authDevLogin.body }) body: z.output<typeof contract.authDevLogin.body>, @Ip() ip: string) {
    return this.auth.devLogin(body.account, ip);
  }
}
