import pino from 'pino';
import type { DestinationStream, Logger, LevelWithSilent } from 'pino';

export type { Logger };

/**
 * The server logs request lines and decisions, never bodies: tokens, enrollment codes, passwords,
 * fingerprint templates and staff names only ever travel in bodies and the Authorization header,
 * and these paths are censored in case a future log line carries one anyway.
 */
const redactPaths = [
  'token',
  '*.token',
  'code',
  '*.code',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  // Fingerprint templates and staff names are personal information (docs/architecture.md §3 Biometrics).
  'template',
  '*.template',
  'templates',
  '*.templates',
  'ciphertext',
  '*.ciphertext',
  'name',
  '*.name',
  'staffName',
  '*.staffName',
];

export function createServerLogger(options: { level?: LevelWithSilent; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, service: 'hall-server' },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}
