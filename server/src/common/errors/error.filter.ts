import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { ApiErrorBody, ErrorCode, ErrorSpec, ErrorStatus } from '@baoxue/shared';
import { ERRORS } from '@baoxue/shared';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AppError } from './app-error';
import { isDatabaseUnavailable, isDuplicateKey, isWriteConflict } from './database-errors';

/** Framework exceptions (routing, body parsing, uploads) mapped onto the product's error codes. */
function codeForHttpStatus(status: number): ErrorCode {
  switch (status) {
    case HttpStatus.NOT_FOUND:
      return 'ROUTE_NOT_FOUND';
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return 'FILE_TOO_LARGE';
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return 'UNSUPPORTED_FILE';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'RATE_LIMITED';
    case HttpStatus.METHOD_NOT_ALLOWED:
      return 'ROUTE_NOT_FOUND';
    default:
      return status >= 500 ? 'INTERNAL' : 'MALFORMED_REQUEST';
  }
}

export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (isWriteConflict(exception)) return new AppError('WRITE_CONFLICT');
  if (isDatabaseUnavailable(exception)) return new AppError('DATABASE_UNAVAILABLE');
  if (isDuplicateKey(exception)) return new AppError('ALREADY_EXISTS');
  if (exception instanceof HttpException) return new AppError(codeForHttpStatus(exception.getStatus()));
  const status = (exception as { status?: unknown; statusCode?: unknown })?.status ?? (exception as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new AppError(codeForHttpStatus(status));
  return new AppError('INTERNAL');
}

/**
 * Whether an answer with this status is logged as a failure of the server. Every status of the error
 * table is decided here: a code with a new status fails the type check until it is added.
 */
export function isServerFailure(status: ErrorStatus): boolean {
  switch (status) {
    case 400:
    case 401:
    case 403:
    case 404:
    case 409:
    case 413:
    case 415:
    case 422:
    case 429:
      return false;
    case 500:
    case 503:
      return true;
    default:
      return unreachable(status);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled error status ${String(value)}`);
}

/** Every error leaves the server as `{ code, message, fields }` (and `rows` for file problems). */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const error = toAppError(exception);
    // Each code's status and default message come from the shared table, which has an entry for every `ErrorCode`.
    const spec: ErrorSpec = ERRORS[error.code];
    if (isServerFailure(error.status)) {
      // Logged with the route only: bodies and queries may hold personal data.
      this.logger.error({ err: exception, method: request.method, route: request.route?.path ?? null }, 'request failed');
    }
    const body: ApiErrorBody = { code: error.code, message: error.message || spec.message, fields: error.fields };
    if (error.rows) body.rows = error.rows;
    if (error.current !== undefined) body.current = error.current;
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    response.status(error.status).json(body);
  }
}
