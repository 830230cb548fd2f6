import type { IProjectConfig } from '@tarojs/taro/types/compile';

export default {
  mini: {},
  h5: {},
} satisfies IProjectConfig<'webpack5'>;
