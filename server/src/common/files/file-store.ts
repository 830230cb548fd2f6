import type { Readable } from 'node:stream';

/** A stored file as read back: its bytes as a stream, and their count when the store knows it. */
export interface StoredFile {
  body: Readable;
  bytes: number | null;
}

/**
 * Where uploaded files live (BRIEF §9): the local folder of a single process (`LocalFileStore`,
 * UPLOAD_DIR), or an S3-compatible bucket every instance of a cluster shares (`S3FileStore`). Keys are
 * flat names chosen by the server (`<upload id>.jpg`), never by a client. Failures of the store
 * itself surface as `FILE_STORE_UNAVAILABLE` (503); a missing file is `null`, not an error.
 */
export abstract class FileStore {
  /** Which store this is, for logs and for the commands that work on one store only (backup). */
  abstract readonly kind: 'local' | 's3';

  /** Stores `body` under `key`, replacing whatever was there; the file is whole or absent, never partial. */
  abstract put(key: string, body: Buffer, contentType: string): Promise<void>;

  /** The file as a stream, or null when there is none. */
  abstract get(key: string): Promise<StoredFile | null>;

  abstract exists(key: string): Promise<boolean>;

  /** Deletes the file for good; a file already gone is fine. */
  abstract delete(key: string): Promise<void>;

  /**
   * Checked at start: throws `FileStoreMisconfigured` when the store can never work as configured (a
   * bucket that does not exist, keys refused); a store that is only unreachable for now is not fatal.
   */
  abstract check(): Promise<void>;
}

/** The store cannot work as configured: the message names the setting, for the operator. */
export class FileStoreMisconfigured extends Error {}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** Keys are the server's own names; this keeps a slip from ever naming a path outside the store. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid file key ${JSON.stringify(key)}`);
}
