import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseHostArgs } from '../../main/host/host-options.ts';
import { planKioskBrowser } from '../../main/host/kiosk-browser.ts';

describe('host options', () => {
  it('parses every flag', () => {
    const args = [
      '--data-dir', '/srv/kiosk', '--port', '0', '--printer', 'tcp://10.0.0.5:9100', '--server-url', 'http://10.0.0.2:8480', '--enroll-code', '7kq2m9xdr4tbhc3w',
      '--catalog-file', '/srv/hall/catalog.json', '--calendar-file', '/srv/hall/calendar.json', '--no-browser',
    ];
    expect(parseHostArgs(args, {}, 'linux', '/home/k')).toEqual({
      dataDir: '/srv/kiosk',
      port: 0,
      printer: 'tcp://10.0.0.5:9100',
      serverUrl: 'http://10.0.0.2:8480',
      enrollCode: '7kq2m9xdr4tbhc3w',
      contentFiles: { catalogFile: '/srv/hall/catalog.json', calendarFile: '/srv/hall/calendar.json' },
      browser: false,
    });
  });

  it('takes the data dir from the environment, then the OS default', () => {
    expect(parseHostArgs([], { HALL_KIOSK_DATA_DIR: '/var/lib/kiosk' }, 'linux', '/home/k').dataDir).toBe('/var/lib/kiosk');
    expect(parseHostArgs([], {}, 'linux', '/home/k')).toEqual({ dataDir: '/home/k/.config/hall-kiosk', port: undefined, printer: undefined, serverUrl: undefined, enrollCode: undefined, contentFiles: {}, browser: true });
  });

  it('takes the hall server and enrollment code from the environment, flags first', () => {
    const env = { HALL_KIOSK_SERVER_URL: 'https://hall.example', HALL_KIOSK_ENROLL_CODE: '7KQ2-M9XD-R4TB-HC3W' };
    expect(parseHostArgs([], env, 'linux', '/home/k')).toMatchObject({ serverUrl: 'https://hall.example', enrollCode: '7KQ2-M9XD-R4TB-HC3W' });
    expect(parseHostArgs(['--server-url', 'http://127.0.0.1:8480'], env, 'linux', '/home/k').serverUrl).toBe('http://127.0.0.1:8480');
    expect(() => parseHostArgs([], { HALL_KIOSK_SERVER_URL: 'ftp://hall' }, 'linux', '/home/k')).toThrow(/HALL_KIOSK_SERVER_URL: "ftp:\/\/hall" is not an http\(s\) URL/);
  });

  it('takes the catalog and calendar files from the environment, flags first, as absolute paths from the working directory', () => {
    const env = { HALL_KIOSK_CATALOG_FILE: 'hall/catalog.json', HALL_KIOSK_CALENDAR_FILE: '/etc/hall/calendar.json' };
    expect(parseHostArgs([], env, 'linux', '/home/k').contentFiles).toEqual({ catalogFile: resolve('hall/catalog.json'), calendarFile: '/etc/hall/calendar.json' });
    expect(parseHostArgs(['--catalog-file', '/srv/other.json'], env, 'linux', '/home/k').contentFiles.catalogFile).toBe('/srv/other.json');
  });

  it('uses the same directory as Electron userData', () => {
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x' }, '/home/k')).toBe('/x/hall-kiosk');
    expect(defaultDataDir('darwin', {}, '/Users/k')).toBe('/Users/k/Library/Application Support/hall-kiosk');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\k\\AppData\\Roaming' }, 'C:\\Users\\k')).toMatch(/hall-kiosk$/);
  });

  it.each([
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--printer', 'lpt1'], /--printer: "lpt1" is not a printer address/],
    [['--printer', 'serial:/dev/ttyS0?baud=1234'], /--printer: baud 1234/],
    [['--unknown'], /Unknown option/],
    [['--server-url', 'hall.example'], /--server-url: "hall.example" is not an http\(s\) URL/],
    [['--enroll-code', '1234'], /--enroll-code: 16 letters and digits/],
  ])('refuses %j', (args, message) => {
    expect(() => parseHostArgs(args, {}, 'linux', '/home/k')).toThrow(message);
  });
});

describe('kiosk browser plan', () => {
  const base = { url: 'http://127.0.0.1:8421/#token=abc', dataDir: '/srv/kiosk', isRoot: false, chromiumExists: true };

  it('launches Chromium in kiosk mode with its own profile and no background services', () => {
    const plan = planKioskBrowser({ ...base, env: { DISPLAY: ':0' } });
    expect(plan).toEqual({
      command: '/usr/bin/chromium',
      args: [
        '--kiosk',
        '--app=http://127.0.0.1:8421/#token=abc',
        '--user-data-dir=/srv/kiosk/chromium',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  it('drops the sandbox only as root', () => {
    const plan = planKioskBrowser({ ...base, isRoot: true, env: { WAYLAND_DISPLAY: 'wayland-0' } });
    expect('args' in plan && plan.args.at(-1)).toBe('--no-sandbox');
  });

  it('says why it does not launch', () => {
    expect(planKioskBrowser({ ...base, env: {} })).toEqual({ skip: expect.stringMatching(/no display/) });
    expect(planKioskBrowser({ ...base, chromiumExists: false, env: { DISPLAY: ':0' } })).toEqual({ skip: expect.stringMatching(/chromium/) });
  });
});
