// Whether a build output is older than the sources it is built from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the mini program's builds (H5 and weapp) are made from. */
export const MINIAPP_SOURCES = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'miniapp/project.config.json', 'shared/src'];

function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules' && entry !== 'dist') visit(join(path, entry));
    } else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

/** True when `output` is missing or older than any file under `sources`. */
export function isStale(output, sources = MINIAPP_SOURCES) {
  return !existsSync(output) || statSync(output).mtimeMs < newest(sources);
}
