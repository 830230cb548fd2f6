/**
 * Taro's H5 previewImage, loaded the first time a photo is opened (miniapp/config/h5-loading.ts puts
 * this module in its place). The real one draws a Swiper gallery: Swiper and Taro's swiper component
 * would otherwise come with every page that can show a photo, as a good part of its code.
 */
export function previewImage(options) {
  return import(/* webpackChunkName: "preview-image" */ '@tarojs/taro-h5/dist/api/media/image/previewImage.js').then((module) =>
    module.previewImage(options),
  );
}
