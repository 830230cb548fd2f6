/**
 * Some WeChat APIs (getPrivacySetting, chooseMessageFile…) are not promisified by Taro 4.2; this
 * wraps their success/fail callbacks.
 */
export function promisify<Options extends object, Result>(
  api: (options: Options & { success: (result: Result) => void; fail: (failure: unknown) => void }) => unknown,
  options: Options,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    api({ ...options, success: resolve, fail: reject });
  });
}
