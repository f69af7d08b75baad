import { Duplex } from 'node:stream';

export type CableDirection = 'to-module' | 'to-host';

/** Rewrites the bytes in flight, for line-noise and fuzz tests. */
export type CableTamper = (bytes: Buffer, direction: CableDirection) => Buffer;

/**
 * Two connected in-process stream ends: the serial cable of a module that lives in this process
 * (demo mode, unit tests). Destroying either end pulls the cable: both ends close.
 */
export function inMemoryCable(tamper?: CableTamper): { hostEnd: Duplex; moduleEnd: Duplex } {
  const end = (direction: CableDirection, peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        const bytes = tamper ? tamper(chunk, direction) : chunk;
        // Delivered on a later turn, as a real line would: never inside the writer's own call.
        setImmediate(() => {
          const other = peer();
          if (!other.destroyed && bytes.length > 0) other.push(bytes);
        });
        callback();
      },
      destroy(error, callback) {
        const other = peer();
        if (!other.destroyed) other.destroy();
        callback(error);
      },
    });
  const hostEnd: Duplex = end('to-module', () => moduleEnd);
  const moduleEnd: Duplex = end('to-host', () => hostEnd);
  return { hostEnd, moduleEnd };
}
