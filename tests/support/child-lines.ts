import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A JSON line a child printed, such as `{"event":"ready","url":…}`. */
export type JsonLine = Record<string, unknown> & { event?: unknown };

/** Lines kept for a look back; a server logging every request for an hour must not fill the memory. */
const kept = 1000;

export interface ChildLines {
  /** the JSON lines so far (the last 1000), in order */
  readonly json: readonly JsonLine[];
  /** the other lines so far (the last 1000: plain console output) */
  readonly text: readonly string[];
  /** what the child wrote on stderr so far, when it is piped */
  stderr(): string;
  /**
   * The first JSON line whose `event` is `event`, printed already or still to come. Rejects when
   * the child exits first, or after `timeoutMs`; a child that never says it is ready is killed.
   */
  waitFor(event: string, timeoutMs?: number): Promise<JsonLine>;
}

/**
 * Reads a child process's stdout line by line from now on, to its end (a pipe nobody drains
 * would stall the child). Servers, hosts and demo processes started by tests and benches announce
 * themselves with one JSON line (`event: 'ready'` and their URL) among their log output; this is
 * the one place that waits for it.
 */
export function readChildLines(child: ChildProcess, name: string): ChildLines {
  const json: JsonLine[] = [];
  const text: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const waiters = new Set<{ event: string; found(line: JsonLine): void }>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      if (text.push(line) > kept) text.shift();
      return;
    }
    if (json.push(parsed as JsonLine) > kept) json.shift();
    for (const waiter of [...waiters]) if ((parsed as JsonLine).event === waiter.event) waiter.found(parsed as JsonLine);
  });
  // 'close', not 'exit': it comes after stdout has been read to the end, so no line is missed.
  let closed: string | null = null;
  child.once('close', (code, signal) => (closed = `exited with ${code ?? signal}`));

  return {
    json,
    text,
    stderr: () => stderr,
    waitFor(event, timeoutMs = 20_000) {
      const failed = (why: string) => new Error(`${name}: no "${event}" line (${why})${stderr ? `: ${stderr}` : ''}`);
      const seen = json.find((line) => line.event === event);
      if (seen) return Promise.resolve(seen);
      if (closed !== null) return Promise.reject(failed(closed));
      return new Promise<JsonLine>((resolve, reject) => {
        const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
          done();
          reject(failed(`exited with ${code ?? signal}`));
        };
        const timer = setTimeout(() => {
          done();
          child.kill('SIGKILL');
          reject(failed(`none within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          event,
          found: (line: JsonLine) => {
            done();
            resolve(line);
          },
        };
        function done() {
          clearTimeout(timer);
          waiters.delete(waiter);
          child.off('close', onClose);
        }
        waiters.add(waiter);
        child.once('close', onClose);
      });
    },
  };
}

/** The URL a child announces in its ready line. */
export async function readyUrl(lines: ChildLines, timeoutMs?: number): Promise<string> {
  const ready = await lines.waitFor('ready', timeoutMs);
  if (typeof ready.url !== 'string') throw new Error(`ready line without a url: ${JSON.stringify(ready)}`);
  return ready.url;
}
