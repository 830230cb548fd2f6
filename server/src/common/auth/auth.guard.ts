import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ROUTE_POLICIES, type RouteKey } from '@baoxue/shared';
import { AppError } from '../errors/app-error';
import { ACCESS_METADATA, ENDPOINT_METADATA, type AccessRule } from './access.decorator';
import type { RequestWithCaller } from './caller';
import { requireRecordAccess } from './record-policy';
import { SessionAuthenticator } from './session-authenticator';

/**
 * The one guard in front of every endpoint: it fails closed (an endpoint without an access rule
 * is refused), authenticates the bearer token and checks the caller's role. A route that takes a
 * row of `RECORD_POLICY` (`ROUTE_POLICIES`) refuses, with the row's reason, a caller the row never
 * lists whatever the record (by role, position, unit level: `requireRecordAccess` without a
 * record), before its input is read. Then the services: a record out of the caller's read scope is
 * not found, one they read but may not act on is refused (the row asked again with the record).
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
    const key = this.reflector.get<RouteKey | undefined>(ENDPOINT_METADATA, context.getHandler());
    const policy = key ? ROUTE_POLICIES[key] : undefined;
    if (policy && 'record' in policy) requireRecordAccess(caller, policy.record);
    if (rule.kind === 'roles' && !rule.roles.includes(caller.role)) throw AppError.forbidden();
    return true;
  }
}
