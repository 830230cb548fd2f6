#!/usr/bin/env node
// The S3-compatible object store of a test cluster: s3rver (a devDependency) on one port, its objects
// in a directory, with the bucket created. Its credentials are fixed: S3RVER / S3RVER. In production
// this is the government cloud's OSS/COS/OBS or MinIO.
//
//   node s3-store.mjs --port 4040 --directory <dir> --bucket baoxue
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    address: { type: 'string', default: '127.0.0.1' },
    directory: { type: 'string' },
    bucket: { type: 'string', default: 'baoxue' },
  },
});
if (!values.port || !values.directory) {
  console.error('usage: node s3-store.mjs --port <port> --directory <dir> [--bucket <name>] [--address 127.0.0.1]');
  process.exit(64);
}

const server = new S3rver({
  address: values.address,
  port: Number(values.port),
  directory: values.directory,
  silent: true,
  configureBuckets: [{ name: values.bucket }],
});
const { address, port } = await server.run();
console.log(`s3rver on http://${address}:${port}, bucket ${values.bucket}, objects in ${values.directory}`);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close().then(() => process.exit(0)));
