import { ERRORS, type ApiRowError, type ErrorCode, type ErrorStatus } from '@baoxue/shared';

/**
 * The one exception type services throw. The filter turns it into `{ code, message, fields }`
 * with the status the shared error table assigns to the code. A refusal because of a record's
 * state has a code of its own in its module's group of the table (`CASE_CLOSED`,
 * `TIP_KEY_REUSED`, …); `conflict()` is only for a record someone changed meanwhile.
 */
export class AppError extends Error {
  readonly status: ErrorStatus;
  /** For a conflict: the latest state of the record, sent back with the error. */
  current?: unknown;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields: Record<string, string> = {},
    readonly rows?: ApiRowError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? ERRORS[code].message);
    this.status = ERRORS[code].status;
  }

  static notFound(): AppError {
    return new AppError('NOT_FOUND');
  }

  static forbidden(message?: string, fields?: Record<string, string>): AppError {
    return new AppError('FORBIDDEN', message, fields);
  }

  static invalid(fields: Record<string, string>, message?: string): AppError {
    return new AppError('VALIDATION_FAILED', message, fields);
  }

  /** Someone changed the record meanwhile: `CONFLICT`, with the record as it is now. */
  static conflict(message: string, current?: unknown): AppError {
    const error = new AppError('CONFLICT', message);
    error.current = current;
    return error;
  }
}
