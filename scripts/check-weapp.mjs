#!/usr/bin/env node
// Checks a built WeChat mini program (default miniapp/dist/weapp) the way WeChat would refuse it:
// package sizes (2 MB per package, 30 MB in all), every page in app.json present, every WXML and
// WXSS file compiled by WeChat's own compilers (wcc/wcsc from miniprogram-compiler), and no
// localhost or private address baked in, which would fail on every phone.
//   node scripts/check-weapp.mjs [dir]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';

const PACKAGE_LIMIT = 2 * 1024 * 1024;
const APP_LIMIT = 30 * 1024 * 1024;
const TEXT_FILE = /\.(js|json|wxml|wxss|wxs|txt)$/;
const PRIVATE_ADDRESS = [
  /\blocalhost\b/i,
  /\b127\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/,
  /\b10\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/,
  /\b192\.168\.\d{1,3}\.\d{1,3}\b/,
  /\b172\.(1[6-9]|2\d|3[01])\.\d{1,3}\.\d{1,3}\b/,
  /\b0\.0\.0\.0\b/,
];

const root = resolve(process.argv[2] ?? 'miniapp/dist/weapp');
const failures = [];
const fail = (message) => failures.push(message);

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

if (!existsSync(join(root, 'app.json'))) {
  console.error(`✖ ${root}/app.json not found: build the mini program first (npm run build:weapp -w miniapp)`);
  process.exit(1);
}

const app = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8'));
const subpackages = app.subPackages ?? app.subpackages ?? [];
const files = filesUnder(root).map((path) => ({ path, name: relative(root, path).split(sep).join('/'), size: statSync(path).size }));

// 1. Package sizes: a file belongs to the subpackage whose root contains it, else to the main package.
const packages = [
  { name: '(main)', root: null, size: 0, files: 0 },
  ...subpackages.map((sub) => ({ name: sub.root, root: sub.root.replace(/\/$/, ''), size: 0, files: 0 })),
];
for (const file of files) {
  const owner = packages.find((pkg) => pkg.root && file.name.startsWith(`${pkg.root}/`)) ?? packages[0];
  owner.size += file.size;
  owner.files += 1;
}
const total = packages.reduce((sum, pkg) => sum + pkg.size, 0);
console.log(`Package sizes in ${relative(process.cwd(), root) || '.'}:`);
for (const pkg of packages) {
  const over = pkg.size > PACKAGE_LIMIT;
  console.log(`  ${over ? '✖' : '✓'} ${pkg.name.padEnd(24)} ${kb(pkg.size).padStart(10)}  (${pkg.files} files)`);
  if (over) fail(`${pkg.name} is ${kb(pkg.size)}, over WeChat's 2 MB limit per package`);
}
console.log(`    ${'total'.padEnd(24)} ${kb(total).padStart(10)}`);
if (total > APP_LIMIT) fail(`the whole app is ${kb(total)}, over WeChat's 30 MB limit`);

// 2. Every page WeChat will look for exists, in the package it is declared in.
const failuresBeforePages = failures.length;
const pages = [...(app.pages ?? []), ...subpackages.flatMap((sub) => sub.pages.map((page) => `${sub.root.replace(/\/$/, '')}/${page}`))];
for (const page of pages) {
  for (const ext of ['js', 'wxml', 'json']) {
    if (!existsSync(join(root, `${page}.${ext}`))) fail(`page ${page} has no ${page}.${ext}`);
  }
}
for (const tab of app.tabBar?.list ?? []) {
  if (!(app.pages ?? []).includes(tab.pagePath)) fail(`tab ${tab.pagePath} is not a main-package page`);
  for (const icon of [tab.iconPath, tab.selectedIconPath].filter(Boolean)) {
    if (!existsSync(join(root, icon))) fail(`tab icon ${icon} is missing`);
  }
}
if (app.entryPagePath && !pages.includes(app.entryPagePath)) fail(`entryPagePath ${app.entryPagePath} is not a page`);
console.log(`${failures.length > failuresBeforePages ? '✖' : '✓'} ${pages.length} pages in app.json present (.js/.wxml/.json)`);

// 3. WeChat's own compilers accept every template and style sheet.
const require = createRequire(import.meta.url);
let compiler;
try {
  compiler = require('miniprogram-compiler');
} catch {
  fail('miniprogram-compiler is not installed (it comes with miniprogram-simulate, a root devDependency): run npm install');
}
const describe = (error) => String(error?.message ?? error).trim();
if (compiler) {
  const wxml = files.filter((file) => file.name.endsWith('.wxml')).map((file) => file.name);
  try {
    compiler.wxmlToJs(root);
    console.log(`✓ ${wxml.length} WXML files compile with WeChat's compiler`);
  } catch (error) {
    fail(`WXML does not compile: ${describe(error)}`);
  }
  const wxss = files.filter((file) => file.name.endsWith('.wxss')).map((file) => file.name);
  try {
    compiler.wxssToJs(root);
    console.log(`✓ ${wxss.length} WXSS files compile with WeChat's compiler`);
  } catch (error) {
    // wcsc's message does not name the file: compile them one by one to find it.
    const broken = wxss.filter((name) => {
      try {
        compiler.wxssToJs(root, { wxssList: [name] });
        return false;
      } catch {
        return true;
      }
    });
    fail(`WXSS does not compile (${broken.join(', ') || 'all files together'}): ${describe(error)}`);
  }
}

// 4. Nothing points at a developer's machine or a private network.
let leaks = 0;
for (const file of files.filter((f) => TEXT_FILE.test(f.name))) {
  const text = readFileSync(file.path, 'utf8');
  for (const pattern of PRIVATE_ADDRESS) {
    const match = pattern.exec(text);
    if (match) {
      leaks += 1;
      const at = Math.max(0, match.index - 40);
      fail(`${file.name} contains "${match[0]}": …${text.slice(at, match.index + match[0].length + 40).replace(/\s+/g, ' ')}…`);
    }
  }
}
if (!leaks) console.log('✓ no localhost or private addresses in the build');

if (failures.length) {
  console.error(`\n✖ weapp check failed:`);
  for (const message of failures) console.error(`  - ${message}`);
  process.exit(1);
}
console.log('\n✓ weapp build passes the checks');
