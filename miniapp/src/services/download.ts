import Taro from '@tarojs/taro';
import { buildPath } from '@baoxue/shared';
import type { RequestQuery, RouteKey } from '@baoxue/shared';
import { sessionStore } from '../stores/session';
import { headers, networkError, queryString, responseError } from './request';

export interface DownloadInput<K extends RouteKey> {
  /** Path parameters, e.g. the registry kind of a template. */
  params?: Record<string, string>;
  query?: RequestQuery<K>;
  /** The name to save under when the server does not give one. */
  fileName: string;
}

/**
 * Fetches a file the API answers with (a ledger, a template) with the session's token and hands it
 * to the person: in the browser it is saved as a download; in WeChat it opens in the document
 * viewer, whose menu forwards or saves it. Failures carry the server's message, as `call` does.
 */
export async function downloadFile<K extends RouteKey>(key: K, { params, query, fileName }: DownloadInput<K>): Promise<void> {
  const url = API_BASE + buildPath(key, params) + queryString(query as Record<string, unknown> | undefined);
  const token = sessionStore.get().token;
  if (process.env.TARO_ENV === 'h5') await saveInBrowser(url, token, fileName);
  else await openInWechat(url, token, fileName);
}

async function saveInBrowser(url: string, token: string | null, fallbackName: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { headers: headers(token, false) });
  } catch (failure) {
    throw networkError(failure);
  }
  if (!response.ok) throw responseError(response.status, await response.text(), token);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response.headers.get('Content-Disposition')) ?? fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function openInWechat(url: string, token: string | null, fileName: string): Promise<void> {
  let downloaded: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    downloaded = await Taro.downloadFile({ url, header: headers(token, false) });
  } catch (failure) {
    throw networkError(failure);
  }
  if (downloaded.statusCode !== 200) {
    // The error body (JSON) was saved as the file.
    let body: unknown = null;
    try {
      body = Taro.getFileSystemManager().readFileSync(downloaded.tempFilePath, 'utf8');
    } catch {
      // unreadable: the status alone decides the message
    }
    throw responseError(downloaded.statusCode, body, token);
  }
  const extension = /\.(\w+)$/.exec(fileName)?.[1]?.toLowerCase() ?? 'xlsx';
  await Taro.openDocument({ filePath: downloaded.tempFilePath, fileType: extension as keyof Taro.openDocument.FileType, showMenu: true });
}

/** `attachment; filename="ledger.xlsx"; filename*=UTF-8''%E5%8F%B0…` → the UTF-8 name. */
function fileNameOf(disposition: string | null): string | null {
  const encoded = disposition ? /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] : undefined;
  if (!encoded) return null;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}
