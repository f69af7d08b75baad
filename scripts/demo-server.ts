// The demo hall server `npm start` runs inside its own process when no hall server is configured
// (see scripts/start.ts), kept apart from start.ts's top-level start so tests start it the same way.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/calendar/clock.ts';
import { startEmbeddedServer } from '../server/embedded.ts';
import type { RunningServer } from '../server/embedded.ts';
import { createServerLogger } from '../server/http/logger.ts';
import { ownTemplateKey } from '../server/staff/template-key.ts';

/** The hall server's own default port (server/cli.ts), so a demo URL stays the same across starts. */
export const demoServerPort = 8480;

/** Where the demo keeps its fingerprint template key: beside its database, never inside it. */
export const demoTemplateKeyFile = (dataDir: string): string => join(dataDir, 'hall-server-template.key');

export interface StoredKioskConfig {
  serverUrl?: unknown;
  device?: { id?: unknown; serverUrl?: unknown } | null;
}

/**
 * Starts the demo hall on a SQLite file in the kiosk's data dir, with a template key of its own
 * there: a demo that refused every template would enrol nobody and then recognise nobody. For the
 * same reason its kiosk's staff session (the demo PIN) stands for an admin's enrolment grant: the
 * demo has no admin, and its server listens on loopback for the one kiosk beside it. A hall server
 * (server/cli.ts serve) never does this.
 */
export async function startDemoServer(dataDir: string, options: { clock: Clock; port?: number }): Promise<RunningServer> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const settings = {
    dbFile: join(dataDir, 'hall-server.sqlite'),
    clock: options.clock,
    logger: createServerLogger({ level: 'warn' }),
    templateKey: ownTemplateKey(demoTemplateKeyFile(dataDir), randomBytes),
    trustKioskEnrolment: true,
  };
  const port = options.port ?? demoServerPort;
  try {
    return await startEmbeddedServer({ ...settings, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    console.log(`Port ${port} is taken; the demo hall server takes another (the kiosk enrolls again).`);
    return startEmbeddedServer({ ...settings, port: 0 });
  }
}

/** A code only when the kiosk holds no device this server still accepts. */
export async function enrollmentCodeFor(server: RunningServer, stored: StoredKioskConfig): Promise<string | null> {
  const device = stored.device;
  if (device && typeof device.id === 'string' && device.serverUrl === server.url) {
    const known = await server.db.db.selectFrom('devices').select(['revoked_at', 'token_hash']).where('id', '=', device.id).executeTakeFirst();
    if (known && known.revoked_at === null && known.token_hash !== null) return null;
  }
  return (await server.createDevice('demo kiosk')).enrollmentCode;
}
