import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mayTakeRecordAction, type RecordAction, type UploadResponse } from '@baoxue/shared';
import sharp from 'sharp';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config.schema';
import type { Caller } from '../../common/auth/caller';
import { recordActorsFor, requireRecordAccess } from '../../common/auth/record-policy';
import { Clock } from '../../common/clock';
import { AppError } from '../../common/errors/app-error';
import { FileStore, type StoredFile } from '../../common/files/file-store';
import { newId } from '../../common/ids';
import { Upload } from './upload.entity';

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);
const MAX_EDGE = 2048;
/** Decompression bombs: a small file that decodes to billions of pixels. */
const MAX_INPUT_PIXELS = 40_000_000;
const LINK_TTL_SECONDS = 10 * 60;
/** Who uploads what (a row of `RECORD_POLICY`): supervisors their evidence, parents the documents of their applications. */
const PURPOSE_ACTIONS: Record<Upload['purpose'], RecordAction> = {
  tip_evidence: 'upload_tip_evidence',
  deferral_document: 'upload_deferral_document',
  leave_note: 'upload_leave_note',
  pupil_change_document: 'upload_pupil_change_document',
};
const PURPOSES = Object.keys(PURPOSE_ACTIONS) as Array<Upload['purpose']>;

/** An upload that names no purpose is for what the caller may upload (a parent's deferral document); tip evidence else. */
function defaultPurpose(caller: Caller): Upload['purpose'] {
  const mayUpload = (purpose: Upload['purpose']) =>
    mayTakeRecordAction(PURPOSE_ACTIONS[purpose], recordActorsFor(caller, PURPOSE_ACTIONS[purpose]));
  return PURPOSES.find(mayUpload) ?? 'tip_evidence';
}

/**
 * Evidence photos. Every image is decoded and re-encoded as JPEG: that proves it is an image
 * whatever its name or declared type, bounds its size, and drops EXIF metadata — a phone's GPS
 * position would tell a village who the tipster is. Files are kept in the `FileStore` (the local
 * folder, or the bucket every instance of a cluster shares), outside any static path, and are served
 * only through short-lived links signed with FILE_URL_SECRET, so any instance accepts any other's.
 */
@Injectable()
export class UploadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly files: FileStore,
  ) {}

  async storeImage(caller: Caller, requested: Upload['purpose'] | undefined, input: Buffer): Promise<UploadResponse> {
    const purpose = requested ?? defaultPurpose(caller);
    requireRecordAccess(caller, PURPOSE_ACTIONS[purpose]);
    const image = await this.normalise(input);
    const id = newId();
    // the file first: a row never names a file that is not there (a failed insert leaves an unnamed file)
    await this.files.put(keyOf(id), image, 'image/jpeg');
    await this.dataSource.manager.insert(Upload, {
      id,
      ownerId: caller.userId,
      purpose,
      mime: 'image/jpeg',
      bytes: image.length,
      sha256: createHash('sha256').update(image).digest('hex'),
      attachedTo: null,
      createdAt: this.clock.now(),
    });
    return { id, mime: 'image/jpeg', bytes: image.length, url: this.signedUrl(id) };
  }

  /**
   * Ties an upload to the record it belongs to; only its owner's unused uploads of the record's
   * purpose qualify (a parent's deferral document is not the photo of a leave request).
   */
  async attach(
    manager: EntityManager,
    uploadId: string,
    ownerId: string,
    purpose: Upload['purpose'],
    recordId: string,
    field: string,
  ): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(Upload)
      .set({ attachedTo: recordId })
      .where('id = :uploadId AND owner_id = :ownerId AND purpose = :purpose AND attached_to IS NULL', { uploadId, ownerId, purpose })
      .execute();
    if (result.affected !== 1) throw AppError.invalid({ [field]: '照片不存在或已被使用，请重新上传' });
  }

  /** A link an <Image> can load without a token, valid for ten minutes. Relative to the API origin. */
  signedUrl(id: string): string {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + LINK_TTL_SECONDS;
    return `/api/uploads/${id}/file?expires=${expires}&signature=${this.sign(id, expires)}`;
  }

  /** The file behind a signed link, as a stream; 403 for a bad or expired link, 404 when the file is gone. */
  async openSigned(id: string, expires: number, signature: string): Promise<StoredFile> {
    const expected = Buffer.from(this.sign(id, expires));
    const given = Buffer.from(signature);
    const valid = expected.length === given.length && timingSafeEqual(expected, given);
    if (!valid || expires * 1000 < this.clock.now().getTime()) throw AppError.forbidden('图片链接已失效，请刷新页面后重试');
    const file = await this.files.get(keyOf(id));
    if (!file) throw new AppError('NOT_FOUND', '图片不存在或已被删除');
    return file;
  }

  /** Deletes stored files for good (their rows go in the same transaction); a file already missing is fine. */
  async removeFiles(ids: string[]): Promise<void> {
    await Promise.all(ids.map((id) => this.files.delete(keyOf(id))));
  }

  private async normalise(input: Buffer): Promise<Buffer> {
    const unsupported = new AppError('UNSUPPORTED_FILE', '请上传 JPG、PNG 或 WebP 格式的照片', { file: '不是支持的图片格式' });
    let format: string | undefined;
    try {
      format = (await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
    } catch {
      throw unsupported;
    }
    if (!format || !ACCEPTED_FORMATS.has(format)) throw unsupported;
    try {
      return await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate()
        .resize(MAX_EDGE, MAX_EDGE, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer();
    } catch {
      throw unsupported;
    }
  }

  private sign(id: string, expires: number): string {
    return createHmac('sha256', this.config.uploads.urlSecret).update(`${id}:${expires}`).digest('base64url');
  }
}

/** Where an upload's file is kept: `<id>.jpg`, the layout of UPLOAD_DIR (ids are UUIDs the server made). */
const keyOf = (id: string) => `${id}.jpg`;
