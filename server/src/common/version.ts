import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The product version, from the server package (src/ and dist/ sit at the same depth). */
export const APP_VERSION: string = (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string })
  .version;
