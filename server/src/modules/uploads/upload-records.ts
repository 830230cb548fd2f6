import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Upload } from './upload.entity';

/** A stored upload as other modules see it (they never import the entity). */
export type UploadRow = Upload;

/**
 * Uploads as other modules read and write them. The uploads module owns the uploads table; files
 * on disk go through UploadsService.
 */
@Injectable()
export class UploadRecords {
  /** Deletes the rows of these uploads in the caller's transaction; the caller removes the files once it commits. */
  async deleteByIds(manager: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await manager.delete(Upload, { id: In(ids) });
  }
}
