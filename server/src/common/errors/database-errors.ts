/** Recognises driver errors that mean "the database cannot be reached" and "duplicate key". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const record = current as { code?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    current = record.driverError ?? record.cause;
  }
  return codes;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (
    error instanceof Error &&
    /Pool is closed|Connection is closed|connect ECONNREFUSED|Can't add new command when connection is in closed state/.test(error.message)
  ) {
    return true;
  }
  return codesOf(error).some((code) => UNAVAILABLE_CODES.has(code));
}

export function isDuplicateKey(error: unknown): boolean {
  return codesOf(error).some(
    (code) => code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  );
}

/** A transaction that lost to another and may simply run again: deadlock, Galera certification failure, SQLite busy. */
export function isRetryableConflict(error: unknown): boolean {
  return codesOf(error).some((code) => code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY');
}
