import { stat } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { NextFunction, Request, Response } from 'express';

const TYPES: Record<string, string> = {
  js: 'application/javascript; charset=UTF-8',
  css: 'text/css; charset=UTF-8',
};

/**
 * The H5 build writes each script and style also as `<file>.br`, brotli at its best quality
 * (miniapp/config/h5-loading.ts). To a browser that accepts brotli, this sends that file in the
 * original's place — smaller than the on-the-fly compression and no work per request — and leaves
 * every other request (no `.br` beside the file, no brotli accepted) to the static files and the
 * compression middleware after it.
 */
export function precompressedAssets(root: string) {
  const base = resolve(root);
  return (request: Request, response: Response, next: NextFunction): void => {
    const type = /\.(js|css)$/.exec(request.path)?.[1];
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !type || request.acceptsEncodings('br', 'identity') !== 'br') {
      return next();
    }
    let file: string;
    try {
      file = resolve(base, `.${decodeURIComponent(request.path)}.br`);
    } catch {
      return next();
    }
    if (!file.startsWith(base + sep)) return next();
    stat(file, (error, stats) => {
      if (error || !stats.isFile()) return next();
      response.setHeader('Content-Encoding', 'br');
      response.setHeader('Content-Type', TYPES[type]!);
      response.append('Vary', 'Accept-Encoding');
      const query = request.url.indexOf('?');
      request.url = query < 0 ? `${request.url}.br` : `${request.url.slice(0, query)}.br${request.url.slice(query)}`;
      next();
    });
  };
}
