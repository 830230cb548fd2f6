import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { AppModule } from './app.module';
import type { AppConfig } from './config/config.schema';
import { AppError } from './common/errors/app-error';
import { toAppError } from './common/errors/error.filter';
import { openFileStore } from './common/files/open-file-store';
import { buildOpenApiDocument } from './common/http/openapi';
import { firstVisitPage } from './common/http/first-visit-page';
import { precompressedAssets } from './common/http/precompressed-assets';
import { RouteRegistry } from './common/http/route-registry';
import { httpLogger } from './common/logging/http-logger';
import { NestPinoLogger } from './common/logging/logger';
import { DemoSeeder } from './database/seed/demo-seed';
import { APP_VERSION } from './common/version';

const JSON_LIMIT = '1mb';

/** Body-parser failures (broken JSON, oversize bodies) answered in the product's error shape. */
function bodyErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  if (!error) return next();
  const status = (error as { status?: number }).status;
  const appError =
    status === 413
      ? new AppError('FILE_TOO_LARGE', '提交的内容过大')
      : status && status < 500
        ? new AppError('MALFORMED_REQUEST', '请求内容不是有效的 JSON')
        : toAppError(error);
  response.status(appError.status).json({ code: appError.code, message: appError.message, fields: {} });
}

function securityHeaders(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  next();
}

/** The H5 build's scripts and styles, named by their content hash (miniapp/config: `[name].[contenthash:8]`), and their brotli files. */
const HASHED_ASSET = /[\\/](js|css)[\\/][^\\/]+\.[0-9a-f]{8}\.(js|css)(\.br)?$/;
const YEAR_SECONDS = 365 * 24 * 3600;

/** Builds the whole server (not yet listening): API under /api, docs at /api/docs, the H5 app at /. */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestExpressApplication> {
  // the file store first: a bucket that is missing or refuses stops the start before the database is
  // touched (as a provider it failed while the database module went on migrating, with nobody to stop it)
  const files = await openFileStore(config, logger);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger, files), {
    bodyParser: false,
    logger: new NestPinoLogger(logger.child({ component: 'nest' })),
    abortOnError: false,
  });
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  if (config.http.corsOrigins.length) app.enableCors({ origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins });
  app.use(securityHeaders, httpLogger(logger.child({ component: 'http' })));
  app.use(express.json({ limit: JSON_LIMIT }), bodyErrors);
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();

  const h5Dir = config.http.h5Dir ? resolve(config.http.h5Dir) : null;
  if (h5Dir && existsSync(resolve(h5Dir, 'index.html'))) {
    // the app's files go compressed (brotli or gzip, as the browser accepts): a fraction of their size over a
    // rural 3G link; the API is left as it is (its answers are small pages, some carrying session tokens)
    // the build's own brotli files (best quality) where it wrote them; the rest compressed on the fly
    app.use(precompressedAssets(h5Dir));
    app.use(compression({ filter: (req, res) => !req.path.startsWith('/api') && compression.filter(req, res) }));
    // a browser without this build in its cache gets the page with the entry inside it
    const firstVisit = firstVisitPage(h5Dir);
    if (firstVisit) app.use(firstVisit);
    app.useStaticAssets(h5Dir, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => {
        // the page itself is checked every time, so a new release is seen at once
        if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
        // hashed names (js/[name].[contenthash].js): a new build names its files anew, so these never change
        else if (HASHED_ASSET.test(path)) res.setHeader('Cache-Control', `public, max-age=${YEAR_SECONDS}, immutable`);
      },
    });
  } else if (h5Dir) {
    logger.warn({ h5Dir }, 'H5 build not found: serving the API only (run npm run build:h5)');
  }

  SwaggerModule.setup('api/docs', app, buildOpenApiDocument(app.get(RouteRegistry).list(), APP_VERSION) as never, {
    customSiteTitle: '保学通 API',
    jsonDocumentUrl: 'api/docs-json',
  });
  await app.init();
  if (config.seedDemo) await app.get(DemoSeeder).seedIfEmpty();
  return app;
}
