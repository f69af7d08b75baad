import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../main/services/config-service.ts';
import { contentFilesOf, LocalContentError, readCalendarFile, readCatalogFile, readLocalContent } from '../../main/services/local-content.ts';
import { startKioskRuntime } from '../../main/services/kiosk-runtime.ts';
import { createKioskLogger, RecentLogEntries } from '../../main/services/logger.ts';
import { hardwarePrinterDevices } from '../../main/services/printer-devices.ts';
import { demoCatalogFiles, demoHallCalendarFile, demoHallContent, demoHallRules } from '../support/demo-hall.ts';

// The catalog and calendar files of a kiosk with no hall server, read by the privileged side with
// core's schemas and handed to the page through the kiosk API (content.local).

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hall-kiosk-content-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('local content files', () => {
  it('reads the demo hall as a hall would hand it over: the catalog export and the calendar export', () => {
    expect(readCatalogFile(demoCatalogFiles.full)).toEqual(demoHallContent);
    expect(readCalendarFile(demoHallCalendarFile)).toEqual(demoHallRules);
    expect(readLocalContent({})).toEqual({ catalog: null, hallRules: null });
  });

  it('says which file and what is wrong: missing, not JSON, or not valid', () => {
    const missing = join(dir, 'nowhere.json');
    expect(() => readCatalogFile(missing)).toThrow(new RegExp(`cannot read the catalog file ${missing}: ENOENT`));
    const garbled = join(dir, 'garbled.json');
    writeFileSync(garbled, '{"catalog": ');
    expect(() => readCatalogFile(garbled)).toThrow(LocalContentError);
    expect(() => readCatalogFile(garbled)).toThrow(new RegExp(`the catalog file ${garbled} is not JSON`));
    const bare = join(dir, 'bare.json');
    // A catalog without its guides is not a catalog document.
    writeFileSync(bare, JSON.stringify(demoHallContent.catalog));
    expect(() => readCatalogFile(bare)).toThrow(/the catalog file .*bare\.json is not valid \(\d+ problems?\):\n {2}catalog: /);
    const calendar = join(dir, 'calendar.json');
    writeFileSync(calendar, JSON.stringify({ ...demoHallRules, hallTimetableId: 'nowhere' }));
    expect(() => readCalendarFile(calendar)).toThrow(/the calendar file .*calendar\.json is not valid \(1 problem\):\n {2}hallTimetableId: unknown timetable nowhere/);
  });

  it("reads the config's relative paths from the data dir", () => {
    expect(contentFilesOf({ catalogFile: 'hall/catalog.json', calendarFile: '/etc/hall/calendar.json' }, '/var/lib/kiosk')).toEqual({
      catalogFile: '/var/lib/kiosk/hall/catalog.json',
      calendarFile: '/etc/hall/calendar.json',
    });
    expect(contentFilesOf({}, '/var/lib/kiosk')).toEqual({});
  });

  it('the runtime hands the files named in the config to the page, and fails the call plainly when one is bad', async () => {
    mkdirSync(join(dir, 'hall'));
    copyFileSync(demoCatalogFiles.small, join(dir, 'hall', 'catalog.json'));
    const config = ConfigService.open({
      openStore: () => new Conf<Record<string, unknown>>({ cwd: dir, configName: 'config' }),
      file: join(dir, 'config.json'),
      newKioskId: () => 'kiosk-content',
    });
    config.update((c) => ({ ...c, catalogFile: 'hall/catalog.json', calendarFile: demoHallCalendarFile }));
    const recent = new RecentLogEntries();
    const logger = createKioskLogger({ stdout: false, recent });
    const start = () =>
      startKioskRuntime({
        config,
        clock: { now: () => 0 },
        logger,
        shell: 'host',
        version: 't',
        adminPinFromEnv: '1234',
        devices: hardwarePrinterDevices(),
        pollIntervalMs: 0,
        maintenance: { dataDir: dir, logDir: join(dir, 'logs'), exportTargets: () => [], recent, exitKiosk: () => ({ exited: false, message: '' }) },
      });
    let runtime = await start();
    try {
      const answer = await runtime.api.handleCall('content.local', []);
      expect(answer.ok).toBe(true);
      const content = (answer as { result: { catalog: { catalog: { services: unknown[] } }; hallRules: unknown } }).result;
      expect(content.catalog.catalog.services).toHaveLength(11);
      expect(content.hallRules).toEqual(demoHallRules);
    } finally {
      await runtime.close();
    }

    // A damaged file: logged when the kiosk starts, and the page's call fails naming it.
    writeFileSync(join(dir, 'hall', 'catalog.json'), '{ not json');
    runtime = await start();
    try {
      expect(recent.list().map((e) => e.message)).toContainEqual(expect.stringMatching(/^a local content file cannot be used: the kiosk offers no catalog or calendar from it: the catalog file .* is not JSON/));
      const refused = await runtime.api.handleCall('content.local', []);
      expect(refused).toMatchObject({ ok: false, code: 'failed' });
      expect(!refused.ok && refused.error).toMatch(/content\.local: the catalog file .*hall\/catalog\.json is not JSON/);
    } finally {
      await runtime.close();
    }
  });
});
