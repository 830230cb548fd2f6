import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { ACCESS_METADATA, type AccessRule } from './access.decorator';
import type { RequestWithCaller } from './caller';
import { SessionAuthenticator } from './session-authenticator';

/**
 * The one guard in front of every endpoint: it fails closed (an endpoint without an access rule
 * is refused), authenticates the bearer token and checks the caller's role. Unit scope is then
 * applied by the services, which receive the caller it built.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    if (!rule) throw AppError.forbidden();
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<Request & RequestWithCaller>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED');
    const caller = await this.sessions.authenticate(match[1]!);
    request.caller = caller;
    if (rule.kind === 'roles' && !rule.roles.includes(caller.role)) throw AppError.forbidden();
    return true;
  }
}
