/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

/** The API's base URL, fixed at build time by config/index.ts (see config/api-base.ts). */
declare const API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV?: 'development' | 'production';
    TARO_ENV?: 'weapp' | 'h5';
    TARO_APP_API_BASE?: string;
    TARO_APP_ID?: string;
  }
}
