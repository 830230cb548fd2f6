import { applyDecorators, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import { routes, type RouteKey } from '@baoxue/shared';
import { ENDPOINT_METADATA } from '../auth/access.decorator';

export { ENDPOINT_METADATA };

/**
 * Binds a handler to an entry of the shared route table: the method and path come from there, so
 * the server and the mini program cannot disagree on them.
 */
export function Endpoint(key: RouteKey) {
  const { method, path } = routes[key];
  return applyDecorators(RequestMapping({ path, method: RequestMethod[method] }), SetMetadata(ENDPOINT_METADATA, key));
}
