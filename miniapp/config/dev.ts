import type { IProjectConfig } from '@tarojs/taro/types/compile';

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {
    devServer: {
      port: 10086,
      // `npm run dev:h5` serves the app here and forwards API calls to a local server.
      proxy: [{ context: ['/api'], target: 'http://localhost:3000', changeOrigin: true }],
    },
  },
} satisfies IProjectConfig<'webpack5'>;
