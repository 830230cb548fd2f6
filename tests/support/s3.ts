import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

/** s3rver's fixed credentials (it checks the signature). */
const KEY = 'S3RVER';
/** One secret for every instance of a test deployment, as FILE_URL_SECRET is in a cluster. */
export const SHARED_FILE_URL_SECRET = 'cluster-test-file-url-secret-0123456789abcdef';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** The server settings that put a server's files in this bucket (with the shared link secret). */
  env: Record<string, string>;
  has(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** Stops the server (the store becomes unreachable); `close` also deletes its data. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** An S3-compatible server (s3rver) on a random port, its data in a temporary folder, with one empty bucket. */
export async function startTestS3(bucket = 'baoxue-test'): Promise<TestS3> {
  // the SDK's notice that its 2027 releases need Node 22 says nothing about the product under test
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const directory = mkdtempSync(join(tmpdir(), 'bx-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEY, secretAccessKey: KEY },
  });
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    client.destroy();
    await server.close();
  };
  return {
    endpoint,
    bucket,
    env: {
      FILE_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: KEY,
      S3_SECRET_ACCESS_KEY: KEY,
      S3_FORCE_PATH_STYLE: 'true',
      FILE_URL_SECRET: SHARED_FILE_URL_SECRET,
    },
    has: async (key) => {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
        throw error;
      }
    },
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    stop,
    close: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
