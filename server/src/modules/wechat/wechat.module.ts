import { Module } from '@nestjs/common';
import { WechatClient } from './wechat.client';
import { DatabaseWechatTokens, WechatTokens } from './wechat-tokens';

@Module({ providers: [WechatClient, { provide: WechatTokens, useClass: DatabaseWechatTokens }], exports: [WechatClient] })
export class WechatModule {}
