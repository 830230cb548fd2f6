import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * One pino logger for the process. Request logs carry method, route pattern, status and timing;
 * never bodies, query strings, tokens or headers, which may hold children's personal data.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'baoxue' },
    redact: { paths: ['req.headers', 'headers.authorization', '*.token', '*.idNumber', '*.code'], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Lets Nest's own messages (module init, route mapping) go through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}

/** Injection token for the process's pino logger. */
export const LOGGER = Symbol('LOGGER');
