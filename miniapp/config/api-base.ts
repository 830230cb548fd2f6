/**
 * Where the mini program finds the API. The H5 build is served by the server itself and calls
 * same-origin `/api`. The WeChat build needs an absolute URL baked in at build time: WeChat only
 * lets a released mini program reach https domains registered for it, so a production build
 * refuses anything else rather than ship a package that cannot sign anyone in.
 */
export const DEV_WEAPP_API_BASE = 'http://localhost:3000/api';
export const H5_API_BASE = '/api';

export interface ApiBaseInput {
  platform: string;
  development: boolean;
  configured: string | undefined;
}

export function resolveApiBase({ platform, development, configured }: ApiBaseInput): string {
  if (platform === 'h5') return H5_API_BASE;
  const value = configured?.trim().replace(/\/+$/, '');
  if (development) return value || DEV_WEAPP_API_BASE;
  if (!value) {
    throw new Error(
      'TARO_APP_API_BASE is required for a production weapp build: the public https URL of the API, ' +
        'e.g. TARO_APP_API_BASE=https://baoxue.example.org/api npm run build:weapp -w miniapp',
    );
  }
  const problem = publicHttpsProblem(value);
  if (problem) throw new Error(`TARO_APP_API_BASE=${value} cannot be used in a production weapp build: ${problem}`);
  return value;
}

function publicHttpsProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'https:') return 'WeChat only allows https request domains';
  if (url.search || url.hash) return 'it must not carry a query or fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local')) return 'it points at this machine';
  if (isPrivateAddress(host)) return 'it is a private or loopback address that phones cannot reach';
  return null;
}

/** Loopback, private (RFC 1918), link-local and unique-local addresses, IPv4 and IPv6. */
export function isPrivateAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (host.includes(':')) {
    return (
      host === '::' || host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host) || host.startsWith('::ffff:')
    );
  }
  return false;
}
