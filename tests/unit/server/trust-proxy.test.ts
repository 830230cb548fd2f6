import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../server/src/config/config.schema';

/**
 * The client address the rate limits count is `req.ip` as Express computes it from TRUST_PROXY
 * (app.ts sets `trust proxy` to the parsed value). Checked with the Express that Nest serves with.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const express = require(require.resolve('express', { paths: [require.resolve('@nestjs/platform-express')] })) as typeof import('express');

async function ipSeen(trustProxy: string, forwardedFor?: string): Promise<string> {
  const app = express();
  app.set('trust proxy', loadConfig({ TRUST_PROXY: trustProxy }).http.trustProxy);
  app.get('/ip', (req, res) => void res.send(req.ip));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/ip`, { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });
    return (await response.text()).replace(/^::ffff:/, '');
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('TRUST_PROXY and the client address', () => {
  it('without a proxy, the address is the connection’s: X-Forwarded-For is ignored', async () => {
    expect(await ipSeen('false', '198.51.100.7')).toBe('127.0.0.1');
  });

  it('behind one proxy (1), the address is the one that proxy appended, whatever the client wrote before it', async () => {
    expect(await ipSeen('1', '203.0.113.50')).toBe('203.0.113.50');
    expect(await ipSeen('1', '10.9.9.9, 203.0.113.50')).toBe('203.0.113.50');
    expect(await ipSeen('1', '1.2.3.4, 10.9.9.9, 203.0.113.50')).toBe('203.0.113.50');
  });

  it('behind a load balancer and nginx (2), the entry the load balancer appended', async () => {
    expect(await ipSeen('2', '10.9.9.9, 203.0.113.50, 10.0.0.2')).toBe('203.0.113.50');
  });

  it('with trusted addresses, skips exactly those hops from the right', async () => {
    // the connection comes from 127.0.0.1 (trusted), then 10.0.0.2 (trusted), then the client
    expect(await ipSeen('127.0.0.1,10.0.0.0/8', '10.9.9.9, 203.0.113.50, 10.0.0.2')).toBe('203.0.113.50');
    // a connection from an address not in the list is the client itself
    expect(await ipSeen('10.0.0.0/8', '203.0.113.50')).toBe('127.0.0.1');
  });
});
