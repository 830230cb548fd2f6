import Taro from '@tarojs/taro';
import { TAB_PAGES, type PageUrl } from '../routes';

export function pageUrl(page: PageUrl, query: Record<string, string | undefined> = {}): string {
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return pairs.length ? `${page}?${pairs.join('&')}` : page;
}

/** Opens a page on top of the current one; tab pages are switched to instead. */
export function openPage(page: PageUrl, query?: Record<string, string | undefined>): void {
  if (TAB_PAGES.includes(page)) void Taro.switchTab({ url: page });
  else void Taro.navigateTo({ url: pageUrl(page, query) });
}

/** Back to the previous page, or to the home tab when the page was opened directly. */
export function goBack(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.switchTab({ url: TAB_PAGES[0]! });
}
