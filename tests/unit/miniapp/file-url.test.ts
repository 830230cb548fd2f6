/**
 * The server links photos under its own `/api` path; <Image> in WeChat needs an absolute https URL
 * on the API's domain (a relative path would be read as a file inside the package).
 */
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: { getStorageSync: jest.fn(() => ''), setStorageSync: jest.fn(), removeStorageSync: jest.fn() },
}));

import { fileUrl } from '../../../miniapp/src/services/request';

const setApiBase = (base: string) => ((globalThis as { API_BASE?: string }).API_BASE = base);
const link = '/api/uploads/0192f0c2-7a4e-7c1a-9d61-2f4b8a9c1d3e/file?expires=1795470248&signature=abcdefghijklmnopqrstuvwxyz';

test('the weapp build turns a server path into a link on the API’s own domain', () => {
  setApiBase('https://baoxue.example.org/api');
  expect(fileUrl(link)).toBe(`https://baoxue.example.org${link}`);
});

test('an API behind a path prefix keeps its prefix', () => {
  setApiBase('https://gov.example.cn/kongchuo/api');
  expect(fileUrl(link)).toBe(`https://gov.example.cn/kongchuo${link}`);
});

test('the H5 build, served by the API itself, keeps the path as it is', () => {
  setApiBase('/api');
  expect(fileUrl(link)).toBe(link);
});

test('an absolute link is left alone', () => {
  setApiBase('https://baoxue.example.org/api');
  expect(fileUrl('https://cdn.example.org/a.jpg')).toBe('https://cdn.example.org/a.jpg');
});
