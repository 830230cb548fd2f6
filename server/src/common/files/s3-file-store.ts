import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { Logger } from 'pino';
import type { FileStoreConfig } from '../../config/config.schema';
import { AppError } from '../errors/app-error';
import { FileStore, FileStoreMisconfigured, assertKey, type StoredFile } from './file-store';

type S3Settings = Extract<FileStoreConfig, { kind: 's3' }>;

/** A request to the store gives up after this long (then the SDK's own retries, three attempts in all). */
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 3_000;

/** The HTTP status the store answered with; undefined when it did not answer (unreachable, timed out). */
const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
const isMissing = (error: unknown) =>
  statusOf(error) === 404 || (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound'));

/**
 * Files in an S3-compatible bucket (the government cloud's OSS/COS/OBS, MinIO; s3rver in tests), shared
 * by every instance of a cluster. The server reads and writes them itself: clients still get the
 * server's own signed links, so the bucket stays private and the mini program needs no extra domain.
 */
export class S3FileStore extends FileStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    private readonly settings: S3Settings,
    private readonly logger: Logger,
  ) {
    super();
    this.bucket = settings.bucket;
    this.client = new S3Client({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      forcePathStyle: settings.forcePathStyle,
      maxAttempts: 3,
      requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    });
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertKey(key);
    await this.call('put', () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType })),
    );
  }

  async get(key: string): Promise<StoredFile | null> {
    assertKey(key);
    const object = await this.call('get', () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })), true);
    if (!object?.Body) return null;
    // typed as a union across runtimes; in Node the body is a Readable
    return { body: object.Body as Readable, bytes: object.ContentLength ?? null };
  }

  async exists(key: string): Promise<boolean> {
    assertKey(key);
    return (await this.call('head', () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })), true)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    // S3 answers a delete of a missing key with success: deleting twice is fine
    await this.call('delete', () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = statusOf(error);
      const where = `${this.settings.endpoint ?? `AWS ${this.settings.region}`}`;
      if (status === 404) throw new FileStoreMisconfigured(`S3_BUCKET: there is no bucket ${this.bucket} at ${where}; create it first`);
      if (status === 301 || status === 400) {
        throw new FileStoreMisconfigured(
          `S3_BUCKET, S3_REGION, S3_FORCE_PATH_STYLE: the bucket ${this.bucket} at ${where} refused the request (HTTP ${status})`,
        );
      }
      if (status === 403) {
        throw new FileStoreMisconfigured(
          `S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: access to the bucket ${this.bucket} at ${where} is denied`,
        );
      }
      // unreachable for now: the server starts, and uploads answer 503 until the store is back
      this.logger.warn({ err: error, bucket: this.bucket }, 'the S3 file store cannot be reached; uploads answer 503 until it can');
    }
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }

  /** Runs one request; a missing object is null when `missingIsNull`, any other failure is a 503. */
  private async call<T>(operation: string, request: () => Promise<T>, missingIsNull = false): Promise<T | null> {
    try {
      return await request();
    } catch (error) {
      if (missingIsNull && isMissing(error)) return null;
      this.logger.error({ err: error, operation, bucket: this.bucket }, 'S3 file store request failed');
      throw new AppError('FILE_STORE_UNAVAILABLE');
    }
  }
}
