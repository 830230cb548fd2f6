import path from 'node:path';
import { defineConfig, type UserConfigFn } from '@tarojs/cli';
import type { IProjectConfig } from '@tarojs/taro/types/compile';
import devConfig from './dev';
import prodConfig from './prod';
import { resolveApiBase } from './api-base';
import { shapeH5Loading } from './h5-loading';

const sharedSource = path.resolve(__dirname, '../../shared/src');
const ownModules = path.resolve(__dirname, '../node_modules');
const sourceRoot = path.resolve(__dirname, '../src');

/**
 * npm may install some Taro packages under miniapp/node_modules rather than the root; Taro's own
 * runtime packages (hoisted to the root) must still find them.
 */
function resolveOwnModules(chain: { resolve: { modules: { add(path: string): unknown } } }): void {
  chain.resolve.modules.add('node_modules');
  chain.resolve.modules.add(ownModules);
}

const config: UserConfigFn<'webpack5'> = (merge) => {
  const platform = process.env.TARO_ENV ?? 'weapp';
  const development = process.env.NODE_ENV === 'development';
  let apiBase: string;
  try {
    apiBase = resolveApiBase({ platform, development, configured: process.env.TARO_APP_API_BASE });
  } catch (error) {
    // Taro would print a long stack for a thrown config error; the message is what matters.
    console.error(`\n✖ ${(error as Error).message}\n`);
    process.exit(1);
  }

  const baseConfig: IProjectConfig<'webpack5'> = {
    projectName: 'baoxue',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // BX_OUTPUT_ROOT lets parallel work build into its own folder (tests read BX_H5_DIST/BX_WEAPP_DIST).
    outputRoot: process.env.BX_OUTPUT_ROOT ?? `dist/${platform}`,
    // The browser build runs on Preact: React's API through preact/compat, in a quarter of
    // react-dom's bytes (9 KB brotli against 35) for a slow phone to fetch and run (issue 19). The
    // WeChat build keeps React, which Taro's mini program runtime and our weapp tests run with.
    // babel.config.js follows the same choice.
    framework: platform === 'h5' ? 'preact' : 'react',
    compiler: 'webpack5',
    defineConstants: {
      API_BASE: JSON.stringify(apiBase),
    },
    // The contract is compiled from its TypeScript source so webpack can tree-shake it: the main
    // package takes the route table and labels, only subpackages with forms take zod.
    alias: {
      '@baoxue/shared': sharedSource,
    },
    // Taro's mini program terser defaults write every non-ASCII character as \uXXXX (6 bytes for
    // a Chinese character that takes 3 in UTF-8). WeChat reads UTF-8 sources, and the main
    // package's 2 MB budget is mostly Chinese UI text, so the weapp build keeps it as UTF-8.
    ...(platform === 'h5'
      ? {}
      : {
          terser: {
            enable: true,
            config: {
              // Taro turns off terser's default passes that rewrite code (joining and inlining
              // variables, reducing constants); they are terser's defaults elsewhere and trim the
              // main package's scripts (issue 16).
              compress: {
                collapse_vars: true,
                comparisons: true,
                computed_props: true,
                inline: true,
                loops: true,
                negate_iife: true,
                properties: true,
                reduce_funcs: true,
                reduce_vars: true,
                switches: true,
                typeofs: true,
              },
              output: { ascii_only: false },
            },
          },
        }),
    mini: {
      compile: { include: [sharedSource] },
      optimizeMainPackage: { enable: true },
      webpackChain: resolveOwnModules,
      postcss: {
        pxtransform: { enable: true, config: {} },
        // WeChat renders with WebKit on iOS and Chromium (XWeb) on Android. The package.json
        // browserslist also serves H5 browsers and would add IE's -ms- and old -webkit- flexbox
        // prefixes: in the mini program they are dead bytes (issue 16, the main package's size).
        autoprefixer: { enable: true, config: { overrideBrowserslist: ['ios >= 9', 'android >= 5'] } },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      webpackChain: (chain, webpack) => {
        resolveOwnModules(chain);
        if (!development) shapeH5Loading(chain, webpack, sourceRoot);
      },
      compile: { include: [sharedSource] },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  };

  return merge({}, baseConfig, development ? devConfig : prodConfig) as IProjectConfig<'webpack5'>;
};

export default defineConfig<'webpack5'>(config);
