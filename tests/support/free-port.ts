import { createServer } from 'node:net';

/**
 * A loopback port nobody listens on right now: for a server a test stops and starts again on the
 * same port, or for a connection that must be refused. Another process may take it meanwhile;
 * on a test machine that is rare enough.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
