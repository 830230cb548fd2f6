/** Recognises driver errors that mean "the database cannot be reached", "duplicate key" and "lost to another write". */
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
  // a Galera node that left the cluster's primary component ("WSREP has not yet prepared node for application use")
  'ER_UNKNOWN_COM_ERROR',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/** The driver's code (`ER_LOCK_DEADLOCK`) and SQLSTATE (`40001`) of an error and of the errors it wraps. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const record = current as { code?: unknown; sqlState?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof record.code === 'string') codes.push(record.code);
    if (typeof record.sqlState === 'string') codes.push(`SQLSTATE ${record.sqlState}`);
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

/**
 * A transaction the database rolled back because it lost to another, and that may simply run again: a
 * deadlock or a Galera certification failure (both errno 1213, SQLSTATE 40001), SQLite busy.
 */
export function isRetryableConflict(error: unknown): boolean {
  return codesOf(error).some((code) => code === 'ER_LOCK_DEADLOCK' || code === 'SQLSTATE 40001' || code === 'SQLITE_BUSY');
}

/**
 * A write that lost to another one: what retries leave of a deadlock or certification failure, and a
 * lock wait timeout (another transaction held the rows for innodb_lock_wait_timeout). A lock wait is not
 * retried: it has already waited that long, and a retry would make the user wait as long again.
 */
export function isWriteConflict(error: unknown): boolean {
  return codesOf(error).some((code) => code === 'ER_LOCK_DEADLOCK' || code === 'SQLSTATE 40001' || code === 'ER_LOCK_WAIT_TIMEOUT');
}
