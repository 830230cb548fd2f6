import { Global, Module } from '@nestjs/common';
import { WechatClient } from './wechat.client';

@Global()
@Module({ providers: [WechatClient], exports: [WechatClient] })
export class WechatModule {}
