// One kiosk's connection to the hall server: a single keep-alive socket, JSON in and out.
import { Agent, request } from 'node:http';

export interface JsonResponse {
  status: number;
  body: unknown;
}

export class KioskConnection {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly headers: Record<string, string>,
  ) {
    this.url = new URL(baseUrl);
  }

  /** `body` already serialized, so a caller can time (or reuse) the serialization itself. */
  send(method: 'GET' | 'POST' | 'PUT', path: string, body?: string): Promise<JsonResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...this.headers };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request({ host: this.url.hostname, port: this.url.port, method, path, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : null });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
