import { Injectable, type OnModuleInit, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { RouteKey } from '@baoxue/shared';
import { ACCESS_METADATA, type AccessRule } from '../auth/access.decorator';
import { ENDPOINT_METADATA } from './endpoint.decorator';

export interface RegisteredRoute {
  key: RouteKey;
  method: string;
  path: string;
  access: AccessRule;
}

/**
 * The server's route table, read from the controllers. Boot fails when a handler is not bound to
 * the shared route table or declares no access rule, so no endpoint can slip past the auth guard
 * or the access-matrix tests, which enumerate this table.
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
          routes.push({ key, method, path: `/api${Reflect.getMetadata(PATH_METADATA, handler) as string}`, access });
        }
      }
    }
    if (problems.length) throw new Error(`Route table problems:\n${problems.join('\n')}`);
    return routes;
  }
}
