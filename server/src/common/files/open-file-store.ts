import type { Logger } from 'pino';
import type { AppConfig } from '../../config/config.schema';
import { FileStore } from './file-store';
import { LocalFileStore } from './local-file-store';
import { S3FileStore } from './s3-file-store';

/** The store the configuration names, checked before the server serves. */
export async function openFileStore(config: AppConfig, logger: Logger): Promise<FileStore> {
  const settings = config.uploads.store;
  const store: FileStore = settings.kind === 'local' ? new LocalFileStore(config.uploads.dir) : new S3FileStore(settings, logger);
  await store.check();
  return store;
}
