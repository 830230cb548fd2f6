import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { contract, type RouteKey } from '@baoxue/shared';
import { isDeepStrictEqual } from 'node:util';
import { map, type Observable } from 'rxjs';
import { ENDPOINT_METADATA } from './endpoint.decorator';

/**
 * Checks every response against the shared contract: its shape, and that it carries nothing the
 * contract does not name (an entity field leaking out would fail here). On in tests.
 */
@Injectable()
export class ResponseContractInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const key = Reflect.getMetadata(ENDPOINT_METADATA, context.getHandler()) as RouteKey | undefined;
    // Files (binary answers) are not JSON and have no shape to check.
    if (!key || 'binary' in contract[key]) return next.handle();
    const schema = contract[key].response;
    return next.handle().pipe(
      map((body: unknown) => {
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw new Error(`response of ${key} breaks the contract: ${JSON.stringify(parsed.error.issues)}`);
        if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), JSON.parse(JSON.stringify(body)))) {
          throw new Error(`response of ${key} carries fields the contract does not name`);
        }
        return body;
      }),
    );
  }
}
