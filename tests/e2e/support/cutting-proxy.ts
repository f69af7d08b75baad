import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a browser and the hall server that a test can cut: every open connection
 * is destroyed and new ones wait until `resume()`, as when a screen's network cable is pulled
 * and put back. Real sockets both sides, so the page sees a real disconnect.
 */
export interface CuttingProxy {
  url: string;
  cut(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: { host: string; port: number }): Promise<CuttingProxy> {
  const open = new Set<Socket>();
  let held: Socket[] = [];
  let cut = false;
  const pipe = (client: Socket) => {
    const upstream = createConnection(target);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  };
  const server: Server = createServer((client) => {
    if (cut) {
      client.pause();
      held.push(client);
      client.on('error', () => client.destroy());
    } else {
      pipe(client);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    cut() {
      cut = true;
      for (const socket of [...open]) socket.destroy();
      open.clear();
    },
    resume() {
      cut = false;
      const waiting = held;
      held = [];
      for (const client of waiting) {
        if (client.destroyed) continue;
        pipe(client);
        client.resume();
      }
    },
    async close() {
      for (const socket of [...open, ...held]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
