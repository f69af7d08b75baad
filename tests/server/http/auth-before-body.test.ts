import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { hallApi } from '../../../core/http/contract.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';

/** How long a client may wait for an answer it should get at once: generous, for a loaded machine. */
const answerWithinMs = 15_000;

/**
 * Sends a request's headers announcing `contentLength` bytes of body, then only the first
 * kilobyte of it, and waits for the status line. A server that reads the body before it looks at
 * the token never answers: it is still waiting for the rest.
 */
function answerBeforeBody(baseUrl: string, method: string, path: string, contentLength: number, token?: string): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${method} ${path}: no answer while the body was still unsent; the server waits for the body before it authenticates`));
    }, answerWithinMs);
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (!status) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(Number(status[1]));
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const headers = [
      `${method} ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      'Content-Type: application/json',
      `Content-Length: ${contentLength}`,
      ...(token ? [`Authorization: Bearer ${token}`] : []),
    ];
    socket.write(`${headers.join('\r\n')}\r\n\r\n{"events":[${' '.repeat(1024)}`);
  });
}

describeEngines('device routes authenticate before they read the body', (engine) => {
  const hall = useHallServer(engine, {
    // Every refusal below counts against the test's one address; not what is tested here.
    server: { anonymousRateLimit: { capacity: 1000, refillPerSecond: 1000 } },
    kiosk: 'kiosk on the LAN',
  });
  const deviceRoutes = [
    ['POST', '/api/v1/sync/push'],
    ['POST', '/api/v1/numbers/next'],
    ['POST', '/api/v1/numbers/lease'],
    ['POST', hallApi.devicesStatus.path],
    ['POST', hallApi.updatesHealth.path],
    ['PUT', '/api/v1/staff/s1/templates/1'],
  ] as const;

  it('refuses a client without a valid token while its 1 MB body is still unsent', async () => {
    for (const [method, path] of deviceRoutes) {
      for (const token of [undefined, 'hkd_not-a-token', `${hall.kiosk.token}x`]) {
        expect(await answerBeforeBody(hall.server.url, method, path, 1_000_000, token), `${method} ${path}`).toBe(401);
      }
    }
  });

  it('refuses an enrolment body over 4 KB from its headers, and a valid token is still served', async () => {
    expect(await answerBeforeBody(hall.server.url, 'POST', '/api/v1/devices/enroll', 1_000_000)).toBe(413);
    const response = await hall.kiosk.next('ss-card');
    expect(response.status).toBe(200);
  });
});
