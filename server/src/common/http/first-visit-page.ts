import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

/** Set by the first-visit page once this build's entry is in the browser's HTTP cache; its value is the build's id. */
export const CACHED_BUILD_COOKIE = 'bx_h5';

/** A build's id, as the build computes it (miniapp/config/h5-loading.ts): the start of index.html's SHA-256. */
function buildId(indexHtml: Buffer): string {
  return createHash('sha256').update(indexHtml).digest('hex').slice(0, 16);
}

/** One cookie's value from a Cookie header, or null. */
function cookieValue(header: string | undefined, name: string): string | null {
  for (const pair of header?.split(';') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return null;
}

/**
 * The app's page for a browser that has not cached this build (issue 19, H5 first load). The H5
 * build writes `index.inline.html` beside index.html: the same page with the entry's scripts and
 * style inside it, which saves a phone's first visit the round trip to fetch them (0.56 s on Fast 3G).
 * Once loaded, that page fetches the entry's files into the HTTP cache and sets the `bx_h5` cookie to
 * the build's id; a browser sending the current id gets index.html (from the static files after this)
 * and runs the entry from its cache. After a release the id changes, and the first visit is inline
 * again: the old files in the cache would not serve it anyway.
 *
 * Null when the build has no such page (an older build): index.html is then the only page.
 */
export function firstVisitPage(root: string): ((request: Request, response: Response, next: NextFunction) => void) | null {
  const inlinePath = join(root, 'index.inline.html');
  if (!existsSync(inlinePath)) return null;
  // the build's files do not change while the server runs: read once
  const id = buildId(readFileSync(join(root, 'index.html')));
  const page = readFileSync(inlinePath);
  const brotli = existsSync(`${inlinePath}.br`) ? readFileSync(`${inlinePath}.br`) : null;
  return (request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || (request.path !== '/' && request.path !== '/index.html')) return next();
    // which page a browser gets depends on its cookie: no cache between may answer for another
    response.append('Vary', 'Cookie');
    if (cookieValue(request.headers.cookie, CACHED_BUILD_COOKIE) === id) return next();
    response.setHeader('Content-Type', 'text/html; charset=UTF-8');
    response.setHeader('Cache-Control', 'no-cache');
    if (brotli && request.acceptsEncodings('br', 'identity') === 'br') {
      response.setHeader('Content-Encoding', 'br');
      response.append('Vary', 'Accept-Encoding');
      response.send(brotli);
    } else {
      // the compression middleware before this compresses it as the browser accepts
      response.send(page);
    }
  };
}
