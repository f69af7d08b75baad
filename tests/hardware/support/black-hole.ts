import { spawn } from 'node:child_process';
import net from 'node:net';

/**
 * A loopback port whose connects never complete: a listener in a stopped child process with a
 * full accept queue, so the kernel drops further SYNs — what an unplugged network printer
 * behind a switch looks like. (Routes to unused addresses are no use here: this machine's
 * outbound traffic goes through a proxy that accepts every connection.)
 */
export async function blackHolePort(): Promise<{ port: number; dispose(): Promise<void> }> {
  const listener =
    "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {" +
    " process.stdout.write(this.address().port + '\\n'); process.kill(process.pid, 'SIGSTOP'); })";
  const child = spawn(process.execPath, ['-e', listener], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = Number(await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()))));
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      setTimeout(() => resolve(false), 150);
    });
    if (!connected) break;
  }
  return {
    port,
    async dispose() {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
