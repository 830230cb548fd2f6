/**
 * The browser build's adjustment of Taro's web components to Preact (taro-components.h5.ts). The mini
 * program takes this file and needs nothing: it renders with React and WeChat's own components.
 */
export function adaptTaroComponents(): void {}
