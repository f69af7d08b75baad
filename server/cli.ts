import { readFile, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Clock } from '../core/calendar/clock.ts';
import { AdminUserError, createAdminUser } from './admin/admin-users.ts';
import { CatalogImportError, CatalogStore } from './catalog/catalog-store.ts';
import { databaseTargetFrom, openDatabase } from './db/connect.ts';
import type { OpenDatabaseOptions, ServerDb } from './db/connect.ts';
import { migrateToLatest } from './db/migrations.ts';
import { listDeadLetters } from './sync/dead-letters.ts';
import { DeviceError, createDevice, listDevices, revokeDevice } from './devices/devices.ts';
import { HallCalendarError, HallCalendarStore } from './calendar/calendar-store.ts';
import { HallSettingsError, readHallState, updateHallSettings } from './hall/hall-settings.ts';
import { createServerLogger } from './http/logger.ts';
import { defaultRestoreSkip, recoverFromRestore } from './numbering/restore-guard.ts';
import { runStaffCommand, staffCliErrors, staffCliOptions, staffCliUsage } from './staff/staff-cli.ts';
import { callingCliErrors, callingCliOptions, callingCliUsage, runCallingCommand } from './calling/calling-cli.ts';
import { templateKeyFromConfig } from './staff/template-key.ts';
import { runUpdateCommand, updateCliOptions, updateCliUsage, updatesDirFrom } from './updates/update-cli.ts';
import { UpdateFeed, UpdateFeedError } from './updates/update-feed.ts';

// The composition root: the only place the server reads the system clock.
const systemClock: Clock = { now: () => Date.now() };
const defaultDbFile = 'hall-server.sqlite';
const defaultPort = 8480;

const usage = `usage: node --import tsx server/cli.ts <command> [options]

  serve [--port ${defaultPort}] [--host 127.0.0.1] [--db FILE|postgres://…] [--updates-dir ./updates]
        [--restore-marker FILE] [--voice-dir DIR]
                                   a new database starts with the demo hall's catalog and guides;
                                   kiosks' software updates are served from --updates-dir; a
                                   restored backup is noticed and recovered before the first number
                                   (SQLite: by FILE, default <db>.restore-marker — keep it out of backups);
                                   the hall's own voice recordings from --voice-dir (default data/voice/hall)
  admin:create <user>              password from $HALL_ADMIN_PASSWORD or stdin
  device:create <name>             prints the device's one-time enrollment code
  device:revoke <device-id>
  device:list
  catalog:import <file.xlsx | file.json | table.csv… | directory-of-csv> [--publish]
                                   the catalog and its guides, every row checked, all or nothing;
                                   kept as a draft until published (--publish: at once)
  catalog:publish                  publish the latest import: kiosks get it on their next pull
  catalog:export <file.xlsx | file.json | directory> [--draft]
                                   the published catalog and guides (--draft: the latest import);
                                   a directory gets one CSV file per table
  calendar:import <file.json>      the hall calendar (hours, sessions, issue windows, quotas,
                                   holidays and 调休, 24-hour services), checked whole, all or
                                   nothing; kiosks get it on their next pull
  calendar:export <file.json>      the calendar kiosks pull now (the bundled demo rules if none)
  dead-letters [--limit 50]
  hall:set [--name NAME] [--time-zone Asia/Shanghai] [--public-address https://zwfw.example.gov.cn | --public-address none]
  db:mark-restored [--skip ${defaultRestoreSkip}]    new epoch and counters moved ahead, as serve does by itself when
                                   it notices a restore; for a restore it cannot notice
${staffCliUsage}
${callingCliUsage}
${updateCliUsage}

Every command takes --db; DATABASE_URL selects PostgreSQL; otherwise ./${defaultDbFile}.`;

class UsageError extends Error {}

async function readSecret(envName: string, what: string): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write(`${what} (not echoed): `);
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    if (process.stdin.isTTY) process.stderr.write('\n');
    return line;
  }
  throw new UsageError(`no ${what} given: set ${envName} or pipe it on stdin`);
}

async function withDatabase<T>(dbOption: string | undefined, run: (db: ServerDb) => Promise<T>, options: OpenDatabaseOptions = {}): Promise<T> {
  const db = openDatabase(databaseTargetFrom(dbOption, process.env, defaultDbFile), options);
  try {
    await migrateToLatest(db, systemClock);
    return await run(db);
  } finally {
    await db.close();
  }
}

function positiveInt(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      limit: { type: 'string' },
      name: { type: 'string' },
      'time-zone': { type: 'string' },
      'public-address': { type: 'string' },
      skip: { type: 'string' },
      'restore-marker': { type: 'string' },
      'log-level': { type: 'string' },
      'voice-dir': { type: 'string' },
      publish: { type: 'boolean' },
      draft: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...staffCliOptions,
      ...callingCliOptions,
      ...updateCliOptions,
    },
  });
  const [command, ...args] = positionals;
  if (!command || values.help) {
    console.log(usage);
    return command ? 0 : 2;
  }
  const arg = (what: string): string => {
    const value = args[0];
    if (!value) throw new UsageError(`${command} needs ${what}`);
    return value;
  };

  switch (command) {
    case 'serve': {
      // Loaded only here and for catalog commands: every other command starts quicker without them.
      const { startServer } = await import('./embedded.ts');
      const { readDemoCatalog } = await import('./catalog/demo-catalog.ts');
      const logger = createServerLogger({ level: (values['log-level'] as 'info' | undefined) ?? 'info' });
      const server = await startServer({
        target: databaseTargetFrom(values.db, process.env, defaultDbFile),
        port: positiveInt(values.port, 'port', defaultPort),
        host: values.host ?? '127.0.0.1',
        clock: systemClock,
        logger,
        seed: readDemoCatalog(),
        templateKey: templateKeyFromConfig({ env: process.env, keyFile: values['template-key-file'] }),
        restoreMarkerFile: values['restore-marker'],
        updateFeed: new UpdateFeed(updatesDirFrom(values['updates-dir'], process.env)),
        voiceClips: values['voice-dir'] ? { hallDir: resolve(values['voice-dir']) } : {},
        // Development and tests: answer 500 when a route answers outside its contract.
        checkResponses: process.env.HALL_CHECK_RESPONSES === '1',
      });
      // Printed whatever the log level: supervisors and tests wait for this line.
      process.stdout.write(`${JSON.stringify({ event: 'ready', url: server.url, engine: server.db.engine, pid: process.pid })}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
      await server.close();
      return 0;
    }
    case 'admin:create': {
      const username = arg('a user name');
      const password = await readSecret('HALL_ADMIN_PASSWORD', 'password');
      await withDatabase(values.db, (db) => createAdminUser(db.db, systemClock, username, password));
      console.log(`admin user "${username}" created`);
      return 0;
    }
    case 'device:create': {
      const name = arg('a device name');
      const device = await withDatabase(values.db, (db) => createDevice(db.db, systemClock, name));
      console.log(`device ${device.deviceId} "${device.name}"`);
      console.log(`enrollment code: ${device.enrollmentCode}`);
      console.log(`valid until ${new Date(device.expiresAt).toISOString()}; it works once`);
      return 0;
    }
    case 'device:revoke': {
      const id = arg('a device id');
      const revoked = await withDatabase(values.db, (db) => revokeDevice(db.db, systemClock, id));
      if (!revoked) throw new UsageError(`no device ${id} that is not already revoked`);
      console.log(`device ${id} revoked: its token is refused from now on`);
      return 0;
    }
    case 'device:list': {
      const devices = await withDatabase(values.db, (db) => listDevices(db.db));
      for (const d of devices) {
        const state = d.revokedAt ? 'revoked' : d.enrolled ? 'enrolled' : 'awaiting enrollment';
        const seen = d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never';
        console.log(`${d.id}  ${d.name}  ${state}  last seen ${seen}  version ${d.appVersion ?? '-'}  seq ${d.lastAppliedSeq}  dead letters ${d.deadLetters}`);
      }
      return 0;
    }
    case 'catalog:import': {
      if (args.length === 0) throw new UsageError('catalog:import needs an .xlsx or .json file, CSV files, or a directory of CSV files');
      const { importSourceFrom } = await import('./catalog/import/catalog-files.ts');
      const { readImport } = await import('./catalog/import/catalog-import.ts');
      const { catalogChanges, describeChanges } = await import('./catalog/import/catalog-changes.ts');
      const { source, description } = importSourceFrom(args);
      // Checked completely before the database is opened: a refused file never touches it.
      const content = await readImport(source);
      const { saved, before } = await withDatabase(values.db, async (db) => {
        const catalogs = new CatalogStore(db.db);
        const before = await catalogs.latestContent();
        return { before, saved: await catalogs.saveDraft(content, systemClock, { source: description, publish: values.publish === true }) };
      });
      const { catalog, guides } = content;
      console.log(`catalog imported from ${description}: ${catalog.departments.length} departments, ${catalog.services.length} services, ${Object.keys(guides).length} guides (import ${saved.draft.id})`);
      console.log(before ? `changes from published version ${before.version}: ${describeChanges(catalogChanges(before, content))}` : 'no catalog was published before');
      if (saved.published) console.log(`published as catalog version ${saved.published.version}: kiosks get it on their next pull`);
      else console.log('not published yet: review it (catalog:export --draft FILE), then run catalog:publish');
      return 0;
    }
    case 'catalog:publish': {
      const published = await withDatabase(values.db, (db) => new CatalogStore(db.db).publish(systemClock));
      console.log(`catalog version ${published.version} published (import ${published.draftId}): kiosks get it on their next pull`);
      return 0;
    }
    case 'catalog:export': {
      const target = arg('a file (.xlsx or .json) or a directory for CSV files');
      const { exportCatalogFiles } = await import('./catalog/import/catalog-files.ts');
      const exported = await withDatabase(values.db, async (db) => {
        const catalogs = new CatalogStore(db.db);
        if (values.draft) {
          const draft = await catalogs.latestDraft();
          if (!draft) throw new CatalogImportError('there is no import to export');
          return { label: `import ${draft.id}${draft.publishedVersion === null ? ' (not published)' : ` (published as version ${draft.publishedVersion})`}`, content: draft.content };
        }
        const published = await catalogs.latestContent();
        if (!published) throw new CatalogImportError('no catalog is published yet');
        return { label: `catalog version ${published.version}`, content: { catalog: published.catalog, guides: published.guides ?? {} } };
      });
      const files = await exportCatalogFiles(exported.content, target);
      const { catalog } = exported.content;
      console.log(`${exported.label} exported to ${files.join(', ')}: ${catalog.departments.length} departments, ${catalog.services.length} services`);
      return 0;
    }
    case 'calendar:import': {
      const file = arg('a .json file');
      let raw: unknown;
      try {
        raw = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new HallCalendarError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const saved = await withDatabase(values.db, (db) => new HallCalendarStore(db.db).save(raw, systemClock, `calendar:import ${basename(file)}`));
      const { rules } = saved;
      console.log(`hall calendar saved as revision ${saved.revision}: ${rules.timetables.length} timetables, ${rules.services.length} service rules, ${rules.calendar.holidays.length} holidays, ${rules.calendar.workdays.length} adjusted workdays`);
      console.log('kiosks get it on their next pull');
      return 0;
    }
    case 'calendar:export': {
      const file = arg('a .json file to write');
      const stored = await withDatabase(values.db, (db) => new HallCalendarStore(db.db).latest());
      const { readDemoHallRules } = await import('./calendar/demo-calendar.ts');
      await writeFile(file, `${JSON.stringify(stored?.rules ?? readDemoHallRules(), null, 2)}\n`);
      console.log(stored ? `hall calendar revision ${stored.revision} written to ${file}` : `no calendar saved yet: the bundled demo rules written to ${file}`);
      return 0;
    }
    case 'dead-letters': {
      const letters = await withDatabase(values.db, (db) => listDeadLetters(db.db, { limit: positiveInt(values.limit, 'limit', 50) }));
      for (const l of letters) {
        const seq = l.seq === l.lastSeq ? `${l.seq}` : `${l.seq}–${l.lastSeq}`;
        console.log(`${new Date(l.createdAt).toISOString()}  ${l.deviceName} (${l.deviceId})  seq ${seq}  ${l.type ?? '-'}  ${l.reason}`);
      }
      if (!letters.length) console.log('no dead letters');
      return 0;
    }
    case 'hall:set': {
      const address = values['public-address'];
      const publicAddress = address === undefined ? {} : { publicAddress: address === 'none' ? null : address };
      const state = await withDatabase(values.db, (db) => updateHallSettings(db.db, { hallName: values.name, timeZone: values['time-zone'], ...publicAddress }));
      console.log(`hall "${state.hallName}", time zone ${state.timeZone}, public address ${state.publicAddress ?? 'none (tickets print no QR)'} (settings version ${state.settingsVersion})`);
      return 0;
    }
    case 'db:mark-restored': {
      const skip = positiveInt(values.skip, 'skip', defaultRestoreSkip);
      const result = await withDatabase(
        values.db,
        async (db) => {
          // Stamped for the restore witness too, so the next serve does not skip a second time.
          await db.witness!.start(db.db);
          const hall = await readHallState(db.db);
          const marks = db.witness!.claim(hall.restoreMarks);
          const outcome = await recoverFromRestore(db.db, systemClock, { fromEpoch: hall.epoch, skip, marks });
          if (outcome.recovered) db.witness!.claimed(marks);
          return outcome;
        },
        { restoreWitness: { markerFile: values['restore-marker'] } },
      );
      console.log(`new epoch ${result.epoch}: kiosks will re-send what this database lacks`);
      console.log(`${result.counters} number counters of today and later moved ahead by ${skip}`);
      console.log(`${result.sessionsEnded} admin session(s) ended: admins log in again`);
      return 0;
    }
    default: {
      const updateCode = await runUpdateCommand(command, { args, values, clock: systemClock, print: (line: string) => console.log(line) });
      if (updateCode !== undefined) return updateCode;
      const staffCommand = { args, values, clock: systemClock, withDatabase: <T>(run: (db: ServerDb) => Promise<T>) => withDatabase(values.db, run), print: (line: string) => console.log(line), env: process.env };
      const code = await runStaffCommand(command, staffCommand);
      if (code !== undefined) return code;
      const callingCode = await runCallingCommand(command, { ...staffCommand, readSecret });
      if (callingCode !== undefined) return callingCode;
      throw new UsageError(`unknown command "${command}"\n\n${usage}`);
    }
  }
}

const expected = [UsageError, AdminUserError, CatalogImportError, HallCalendarError, DeviceError, HallSettingsError, UpdateFeedError, ...staffCliErrors, ...callingCliErrors];
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = expected.some((type) => error instanceof type);
    console.error(known ? (error as Error).message : error);
    process.exit(known && error instanceof UsageError ? 2 : 1);
  },
);
