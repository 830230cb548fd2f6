// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
const h5 = process.env.TARO_ENV === 'h5';

module.exports = {
  presets: [
    [
      'taro',
      {
        // The browser build runs on Preact, the WeChat build on React (config/index.ts, `framework`).
        framework: h5 ? 'preact' : 'react',
        ts: true,
        compiler: 'webpack5',
        // The browser build targets the browsers it already needs for fetch and AbortController
        // (config/h5-loading.ts drops their polyfills): async functions, spread and classes stay
        // native rather than becoming regenerator code and helpers, fewer bytes to fetch and run on a
        // slow phone (issue 19). The WeChat build keeps package.json's browserslist.
        ...(h5 ? { targets: { chrome: '66', ios: '12.2' } } : {}),
      },
    ],
  ],
};
