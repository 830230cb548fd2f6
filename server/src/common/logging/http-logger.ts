import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';

/** One line per request: method, route pattern (not the raw URL), status, duration, caller id. */
export function httpLogger(logger: Logger) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const caller = (request as Request & { caller?: Caller }).caller;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const level = response.statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          method: request.method,
          route: request.route?.path ?? '(unmatched)',
          status: response.statusCode,
          ms: Math.round(durationMs * 10) / 10,
          user: caller?.userId,
        },
        'request',
      );
    });
    next();
  };
}
