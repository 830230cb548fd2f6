import { Injectable, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { policyRowRoles, ROUTE_POLICIES, type PolicyRow, type RouteKey } from '@baoxue/shared';
import { ACCESS_METADATA, type AccessRule } from '../auth/access.decorator';
import { ENDPOINT_METADATA } from './endpoint.decorator';

export interface RegisteredRoute {
  key: RouteKey;
  method: string;
  path: string;
  access: AccessRule;
  /** The policy row the route takes (the shared route table's `policy`). */
  policy: PolicyRow | null;
}

/**
 * The server's route table, read from the controllers. Boot fails when a handler is not bound to
 * the shared route table or declares no access rule, so no endpoint can slip past the auth guard
 * or the access-matrix tests, which enumerate this table; and when a route names a policy row the
 * policy does not have, or keeps out a role the row lets take its action.
 */
@Injectable()
export class RouteRegistry implements OnModuleInit {
  private routes: RegisteredRoute[] | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    this.list();
  }

  /** Every endpoint; read from the controllers on first use (before `init`, for the docs). */
  list(): readonly RegisteredRoute[] {
    this.routes ??= this.scan();
    return this.routes;
  }

  private scan(): RegisteredRoute[] {
    const routes: RegisteredRoute[] = [];
    const problems: string[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const key = Reflect.getMetadata(ENDPOINT_METADATA, handler) as RouteKey | undefined;
        const access = (Reflect.getMetadata(ACCESS_METADATA, handler) ??
          Reflect.getMetadata(ACCESS_METADATA, wrapper.metatype as object)) as AccessRule | undefined;
        const where = `${wrapper.name}.${name}`;
        if (!key) problems.push(`${where} is not bound to the shared route table (@Endpoint)`);
        if (!access) problems.push(`${where} declares no access rule (@Public, @SignedIn or @Roles)`);
        if (key && access) {
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod] ?? 'GET';
          const policy = ROUTE_POLICIES[key] ?? null;
          problems.push(...policyProblems(where, policy, access));
          routes.push({ key, method, path: `/api${Reflect.getMetadata(PATH_METADATA, handler) as string}`, access, policy });
        }
      }
    }
    if (problems.length) throw new Error(`Route table problems:\n${problems.join('\n')}`);
    return routes;
  }
}

/** A route's policy row must exist, and its role filter must let in every role the row names. */
export function policyProblems(where: string, policy: PolicyRow | null, access: AccessRule): string[] {
  if (!policy) return [];
  const roles = policyRowRoles(policy);
  if (!roles) return [`${where} names the policy row ${JSON.stringify(policy)}, which the policy does not have`];
  if (access.kind !== 'roles') return [];
  const kept = roles.filter((role) => !access.roles.includes(role));
  return kept.length ? [`${where} keeps out ${kept.join(', ')}, whom its policy row ${JSON.stringify(policy)} lets in`] : [];
}
