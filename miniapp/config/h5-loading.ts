import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import type { Chunk, ChunkGraph, ChunkGroup, Compilation, Compiler, Module } from 'webpack';

/**
 * How the H5 build loads on a slow phone (issue 19). Taro's default puts every page, the sign-in and
 * home pages included, in a lazily loaded chunk of its own that repeats the code the pages share, and
 * the browser learns which chunk a page needs only after the whole entry has run. Here:
 * - the entry carries the framework and the main package (entry, sign-in, home and the other tab
 *   pages), so opening the app signed in or not loads no further chunk;
 * - each role's subpackage is one chunk (`js/<role>.<hash>.js`), loaded when one of its pages is
 *   first opened, and code that several subpackages share goes into shared chunks rather than into
 *   every page;
 * - index.html names the chunks of every subpackage page, and an inline script preloads those of the
 *   page in the URL while the entry downloads, instead of one round trip after it;
 * - Taro's previewImage (a Swiper gallery) loads when a photo is first opened;
 * - scripts and styles are also written brotli-compressed at the best quality, for the server to send;
 * - `index.inline.html` holds the entry inside the page, for a phone's first visit.
 * The weapp build is not touched: WeChat packages are shaped by app.config.ts.
 */

/** A minimal view of webpack-chain, which Taro hands to `h5.webpackChain`. */
interface H5Chain {
  entry(name: string): { add(path: string): unknown };
  resolve: { alias: { set(request: string, target: string | false): unknown } };
  optimization: { splitChunks(options: object): unknown };
  plugin(name: string): { use(plugin: unknown, args?: unknown[]): unknown };
}

interface WebpackStatics {
  NormalModuleReplacementPlugin: new (pattern: RegExp, replace: (resource: ResolveResult) => void) => unknown;
}

interface ResolveResult {
  request: string;
  contextInfo: { issuer: string };
}

/** The main package: every page under src/pages (STYLE.md: entry, sign-in and tab pages only). */
function mainPackagePages(sourceDir: string): string[] {
  const pagesDir = path.join(sourceDir, 'pages');
  return readdirSync(pagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) =>
      ['tsx', 'ts', 'jsx', 'js'].map((ext) => path.join(pagesDir, entry.name, `index.${ext}`)).find((file) => existsSync(file)),
    )
    .filter((file): file is string => file !== undefined);
}

/** The role subpackages: src/packages/<role>. */
function subpackages(sourceDir: string): string[] {
  const dir = path.join(sourceDir, 'packages');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}

const ROUTE_REQUEST = /^\.\/((?:pages|packages)\/.+)$/;
const PACKAGE_ROUTE = /^\.\/packages\/([^/]+)\//;

/** The subpackage whose page a chunk is loaded for (null for the entry or a chunk loaded otherwise). */
function chunkPackage(chunk: Chunk): string | null {
  let found: string | null = null;
  for (const group of chunk.groupsIterable) {
    if (group.isInitial()) return null;
    for (const origin of group.origins) {
      const role = PACKAGE_ROUTE.exec(origin.request ?? '')?.[1] ?? null;
      if (!role || (found && found !== role)) return null;
      found = role;
    }
  }
  return found;
}

/**
 * A role's chunk holds its subpackage and whatever else only its pages use (a form component that only
 * the tip form needs): one file for the role rather than one per page. What its pages share with other
 * roles' is left to the shared chunks (or repeated in the page's own chunk when it is small).
 */
function belongsTo(role: string, root: string) {
  return (module: Module, { chunkGraph }: { chunkGraph: ChunkGraph }): boolean => {
    if ((module.nameForCondition() ?? '').startsWith(root)) return true;
    const chunks = [...chunkGraph.getModuleChunksIterable(module)];
    return chunks.length > 0 && chunks.every((chunk) => chunkPackage(chunk) === role);
  };
}

function splitChunks(sourceDir: string): object {
  const packageGroups = Object.fromEntries(
    subpackages(sourceDir).map((role) => {
      const root = path.join(sourceDir, 'packages', role) + path.sep;
      return [`package-${role}`, { name: role, chunks: 'async', test: belongsTo(role, root), priority: 20, enforce: true }];
    }),
  );
  return {
    chunks: 'all',
    // On a 3G link every request waits half a second for its first byte: small modules are cheaper
    // repeated than fetched apart, and a page's load is a few requests, within the browser's six
    // connections together with the entry.
    minSize: 20_000,
    maxAsyncRequests: 4,
    maxInitialRequests: 3,
    cacheGroups: {
      default: false,
      defaultVendors: false,
      // Libraries change only with an upgrade, so their file stays cached across releases of the app.
      framework: { name: 'framework', chunks: 'initial', test: /[\\/]node_modules[\\/]/, priority: 30, enforce: true },
      ...packageGroups,
      shared: { chunks: 'async', minChunks: 2, priority: 10, reuseExistingChunk: true },
    },
  };
}

/** Each page's route (as in the URL's hash, without the leading slash) and the chunk group that loads it. */
function pageChunkGroups(compilation: Compilation): Array<{ route: string; group: ChunkGroup }> {
  const found: Array<{ route: string; group: ChunkGroup }> = [];
  for (const group of compilation.chunkGroups) {
    if (group.isInitial()) continue;
    for (const origin of group.origins) {
      const route = ROUTE_REQUEST.exec(origin.request ?? '')?.[1];
      if (route) found.push({ route, group });
    }
  }
  return found;
}

/**
 * The inline script index.html runs before the entry: it preloads the chunks of the page in the URL
 * (ES5, like the rest of the page's inline code).
 */
function preloadScript(publicPath: string, files: string[], routes: Record<string, number[]>): string {
  return (
    `(function(p,f,r){var k=location.hash.replace(/^#\\/?/,'').split('?')[0],l=r[k];if(!l)return;` +
    `for(var i=0;i<l.length;i++){var e=document.createElement('link'),n=f[l[i]];e.rel='preload';` +
    `e.as=/\\.css$/.test(n)?'style':'script';e.href=p+n;document.head.appendChild(e)}})` +
    `(${JSON.stringify(publicPath)},${JSON.stringify(files)},${JSON.stringify(routes)})`
  );
}

interface HtmlHooks {
  alterAssetTagGroups: {
    tap(name: string, fn: (data: { headTags: object[] }) => { headTags: object[] }): void;
  };
}

class RoutePreloadPlugin {
  apply(compiler: Compiler): void {
    const name = 'BaoxueRoutePreload';
    compiler.hooks.compilation.tap(name, (compilation) => {
      // Taro's own html-webpack-plugin instance: its hooks are per class, so use the class Taro loaded.
      const html = compiler.options.plugins.find((plugin) => plugin?.constructor?.name === 'HtmlWebpackPlugin');
      if (!html) return;
      const hooks = (html.constructor as unknown as { getHooks(c: Compilation): HtmlHooks }).getHooks(compilation);
      hooks.alterAssetTagGroups.tap(name, (data) => {
        const entryFiles = new Set<string>();
        for (const entrypoint of compilation.entrypoints.values()) {
          for (const chunk of entrypoint.chunks) for (const file of chunk.files) entryFiles.add(file);
        }
        const files: string[] = [];
        const routes: Record<string, number[]> = {};
        for (const { route, group } of pageChunkGroups(compilation)) {
          const needed = group.chunks
            .flatMap((chunk: Chunk) => [...chunk.files])
            .filter((file) => /\.(js|css)$/.test(file) && !entryFiles.has(file));
          routes[route] = needed.map((file) => {
            const at = files.indexOf(file);
            return at >= 0 ? at : files.push(file) - 1;
          });
        }
        const publicPath = typeof compilation.outputOptions.publicPath === 'string' ? compilation.outputOptions.publicPath : '/';
        // First in <head>, so the page's chunks are requested together with the entry.
        data.headTags.unshift({
          tagName: 'script',
          voidTag: false,
          attributes: {},
          innerHTML: preloadScript(publicPath, files, routes),
          meta: { plugin: name },
        });
        return data;
      });
    });
  }
}

/**
 * Scripts and styles also as `.br` files, brotli at its best quality (the server sends these when the
 * browser accepts brotli; compressing on the fly it uses a faster, weaker setting): about a sixth
 * fewer bytes over a slow link, and no compression work per visitor.
 */
class PrecompressPlugin {
  apply(compiler: Compiler): void {
    const name = 'BaoxuePrecompress';
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.hooks.processAssets.tap({ name, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, (assets) => {
        for (const [file, source] of Object.entries(assets)) {
          if (!/\.(js|css)$/.test(file)) continue;
          const compressed = brotliCompressSync(source.buffer(), {
            params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: source.size() },
          });
          compilation.emitAsset(`${file}.br`, new sources.RawSource(compressed), { compressed: true });
        }
      });
    });
  }
}

/** The cookie a browser holds once this build's entry is in its HTTP cache (server/src/common/http/first-visit-page.ts). */
const CACHED_BUILD_COOKIE = 'bx_h5';

/** A build's id: the start of index.html's SHA-256. The page names every entry file by its content hash, so a release changes it. */
function buildId(indexHtml: string | Buffer): string {
  return createHash('sha256').update(indexHtml).digest('hex').slice(0, 16);
}

const ENTRY_STYLE = /<link\b[^>]*\bhref="([^"]+\.css)"[^>]*>/g;
const ENTRY_SCRIPT = /<script\b[^>]*\bsrc="([^"]+\.js)"[^>]*><\/script>/g;

/**
 * Once the page has loaded, fetches the entry's files (into the HTTP cache, at low priority) and then
 * sets the cookie that makes the server send index.html next time (ES5, like the page's other inline code).
 */
function cacheEntryScript(files: string[], id: string): string {
  return (
    `(function(f,c){addEventListener('load',function(){if(!window.fetch||!window.Promise)return;` +
    `Promise.all(f.map(function(u){return fetch(u,{credentials:'same-origin',priority:'low'}).then(function(r){` +
    `if(!r.ok)throw new Error(u);return r.arrayBuffer()})})).then(function(){document.cookie=c+` +
    `'; path=/; max-age=31536000; samesite=lax'+(location.protocol==='https:'?'; secure':'')},function(){})})})` +
    `(${JSON.stringify(files)},${JSON.stringify(`${CACHED_BUILD_COOKIE}=${id}`)})`
  );
}

/**
 * index.html with its entry inside: each style sheet in a `<style>` where its link was, the scripts in
 * order at the end of the body (where their `defer` would have run them), then the script that caches
 * them. `read` gives a built file's text by its URL path.
 */
function inlineEntry(html: string, read: (file: string) => string, id: string): string {
  const files: string[] = [];
  const scripts: string[] = [];
  const page = html
    .replace(ENTRY_STYLE, (tag: string, href: string) => {
      if (!/\brel="?stylesheet/.test(tag)) return tag;
      files.push(href);
      return `<style>${embeddable(read(href), 'style', href)}</style>`;
    })
    .replace(ENTRY_SCRIPT, (_tag: string, src: string) => {
      files.push(src);
      scripts.push(`<script>${embeddable(read(src), 'script', src)}</script>`);
      return '';
    });
  if (!page.includes('</body>')) throw new Error('index.html has no </body> for the entry scripts');
  // a function, so that the scripts' own `$&` and `$'` are not read as replacement patterns
  return page.replace('</body>', () => `${scripts.join('')}<script>${cacheEntryScript(files, id)}</script></body>`);
}

/**
 * A file's text as the content of a `<script>` or `<style>` element: its closing tag cannot appear in
 * it, so `</script` is written `<\/script` (in a string, a template or a regular expression, `\/` is
 * `/`). `<!--` would change how the HTML parser reads the element: the build stops rather than guess.
 */
function embeddable(text: string, element: 'script' | 'style', file: string): string {
  if (text.includes('<!--')) throw new Error(`${file} holds "<!--" and cannot be put inside the page`);
  if (element === 'style' && /<\/style/i.test(text)) throw new Error(`${file} holds "</style" and cannot be put inside the page`);
  return element === 'script' ? text.replace(/<\/(script)/gi, '<\\/$1') : text;
}

/**
 * On a phone's first visit its cache has nothing of the app, and loading the entry costs a round trip
 * after index.html: 0.56 s of Fast 3G's latency, a quarter of the 2 s goal (issue 19). So the build
 * also writes `index.inline.html` (and its brotli file): the same page with the entry inside it and a
 * script that, once the page has loaded, puts the entry's files in the HTTP cache and sets the
 * `bx_h5` cookie to the build's id. The server sends it to a browser without that cookie and
 * index.html to one with it, which then runs the entry from its cache.
 */
class FirstVisitPagePlugin {
  apply(compiler: Compiler): void {
    const name = 'BaoxueFirstVisitPage';
    const { Compilation, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      compilation.hooks.processAssets.tap({ name, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_TRANSFER }, (assets) => {
        const index = assets['index.html'];
        if (!index) return;
        const html = index.source().toString();
        const read = (file: string) => {
          const asset = assets[file.replace(/^\//, '')];
          if (!asset) throw new Error(`index.html names ${file}, which the build did not write`);
          return asset.source().toString();
        };
        const page = Buffer.from(inlineEntry(html, read, buildId(html)));
        compilation.emitAsset('index.inline.html', new sources.RawSource(page));
        const compressed = brotliCompressSync(page, {
          params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: page.length },
        });
        compilation.emitAsset('index.inline.html.br', new sources.RawSource(compressed), { compressed: true });
      });
    });
  }
}

/**
 * Taro's H5 API index re-exports previewImage from this request; it becomes the shim, which loads the
 * real one (its own request, from another issuer) on first use.
 */
const PREVIEW_IMAGE_REQUEST = /^\.\/media\/image\/previewImage\.js$/;
const TARO_H5_API_INDEX = /[\\/]@tarojs[\\/]taro-h5[\\/]dist[\\/]api[\\/]index\.js$/;
const PREVIEW_IMAGE_SHIM = path.join(__dirname, 'h5-preview-image.js');

const POLYFILLS = ['whatwg-fetch', 'abortcontroller-polyfill/dist/abortcontroller-polyfill-only'];

/** The production H5 build's loading, applied through Taro's `h5.webpackChain`. */
export function shapeH5Loading(chain: H5Chain, webpack: WebpackStatics, sourceDir: string): void {
  const entry = chain.entry('app');
  for (const page of mainPackagePages(sourceDir)) entry.add(page);
  chain.optimization.splitChunks(splitChunks(sourceDir));
  // Taro's H5 request API imports polyfills of fetch and AbortController, which install themselves
  // only where a browser lacks them (before Chrome 66, iOS 12.2): 18 KB of the entry that every
  // browser the build targets (babel.config.js) skips.
  for (const polyfill of POLYFILLS) chain.resolve.alias.set(polyfill, false);
  chain.plugin('baoxue-route-preload').use(RoutePreloadPlugin);
  chain.plugin('baoxue-precompress').use(PrecompressPlugin);
  chain.plugin('baoxue-first-visit-page').use(FirstVisitPagePlugin);
  chain.plugin('baoxue-lazy-preview-image').use(webpack.NormalModuleReplacementPlugin, [
    PREVIEW_IMAGE_REQUEST,
    (resource: ResolveResult) => {
      if (TARO_H5_API_INDEX.test(resource.contextInfo.issuer)) resource.request = PREVIEW_IMAGE_SHIM;
    },
  ]);
}
