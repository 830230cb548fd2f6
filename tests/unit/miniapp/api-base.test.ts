import { DEV_WEAPP_API_BASE, H5_API_BASE, isPrivateAddress, resolveApiBase } from '../../../miniapp/config/api-base';

describe('the API base baked into a build', () => {
  const weapp = (configured: string | undefined, development = false) => resolveApiBase({ platform: 'weapp', development, configured });

  test('H5 always calls the server that serves it', () => {
    expect(resolveApiBase({ platform: 'h5', development: false, configured: 'https://elsewhere.example/api' })).toBe(H5_API_BASE);
  });

  test('a development weapp build defaults to the local server', () => {
    expect(weapp(undefined, true)).toBe(DEV_WEAPP_API_BASE);
    expect(weapp('http://192.168.1.20:3000/api/', true)).toBe('http://192.168.1.20:3000/api');
  });

  test('a production weapp build takes a public https URL, without a trailing slash', () => {
    expect(weapp('https://baoxue.example.org/api/')).toBe('https://baoxue.example.org/api');
    expect(weapp(' https://8.8.8.8/api ')).toBe('https://8.8.8.8/api');
  });

  test.each([
    [undefined, /is required/],
    ['', /is required/],
    ['baoxue.example.org/api', /not a URL/],
    ['http://baoxue.example.org/api', /https/],
    ['https://localhost:3000/api', /this machine/],
    ['https://api.localhost/api', /this machine/],
    ['https://127.0.0.1/api', /private or loopback/],
    ['https://10.1.2.3/api', /private or loopback/],
    ['https://172.20.0.5/api', /private or loopback/],
    ['https://192.168.0.10/api', /private or loopback/],
    ['https://[::1]/api', /private or loopback/],
    ['https://[fd12:3456::1]/api', /private or loopback/],
    ['https://baoxue.example.org/api?x=1', /query/],
  ])('a production weapp build refuses %p', (configured, message) => {
    expect(() => weapp(configured)).toThrow(message);
  });

  test('private ranges end where they should', () => {
    expect(isPrivateAddress('172.15.0.1')).toBe(false);
    expect(isPrivateAddress('172.32.0.1')).toBe(false);
    expect(isPrivateAddress('11.0.0.1')).toBe(false);
    expect(isPrivateAddress('169.254.1.1')).toBe(true);
  });
});
