import { randomBytes } from 'node:crypto';
import { constants, mkdirSync } from 'node:fs';
import { access, mkdir, open, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FileStore, FileStoreMisconfigured, assertKey, type StoredFile } from './file-store';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Files in a folder of this machine (UPLOAD_DIR): `<dir>/<key>`, readable by the server's user only.
 * The single-process default; `backup` archives this folder with the database.
 */
export class LocalFileStore extends FileStore {
  readonly kind = 'local';
  private readonly dir: string;

  constructor(dir: string) {
    super();
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // written aside, then renamed: a reader never sees half a file, a crash leaves no partial one under the key
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await writeFile(partial, body, { mode: 0o600 });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredFile | null> {
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    const { size } = await handle.stat();
    return { body: handle.createReadStream(), bytes: size };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.pathOf(key));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
  }

  async check(): Promise<void> {
    try {
      await access(this.dir, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new FileStoreMisconfigured(`UPLOAD_DIR: ${this.dir} cannot be used (${(error as Error).message})`);
    }
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.dir, key);
  }
}
