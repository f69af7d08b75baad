import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrashBudget } from '../../main/electron/crash-policy.ts';
import { isAppUrl, isKioskMainFrame } from '../../main/electron/origin-policy.ts';
import { resolveAppFile } from '../../main/electron/protocol-policy.ts';

describe('kiosk frame check', () => {
  const top = { url: 'app://kiosk/index.html', parent: null };
  it('accepts the kiosk page’s top frame only', () => {
    expect(isKioskMainFrame({ sender: { mainFrame: top }, senderFrame: top })).toBe(true);
    // An iframe on the app origin: same URL rules, but it is not the page.
    expect(isKioskMainFrame({ sender: { mainFrame: top }, senderFrame: { url: 'app://kiosk/guide.html', parent: top } })).toBe(false);
    // A top frame that is not this web contents' main frame (another window's, a portal).
    expect(isKioskMainFrame({ sender: { mainFrame: { ...top } }, senderFrame: top })).toBe(false);
    expect(isKioskMainFrame({ sender: { mainFrame: top }, senderFrame: null })).toBe(false);
    const foreign = { url: 'https://evil.example/', parent: null };
    expect(isKioskMainFrame({ sender: { mainFrame: foreign }, senderFrame: foreign })).toBe(false);
  });
});

describe('app origin check', () => {
  it.each(['app://kiosk/', 'app://kiosk/index.html', 'app://kiosk/assets/index-abc.js?x=1#top', 'APP://KIOSK/index.html'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'file:///opt/hall-kiosk/index.html',
    'http://evil.example/',
    'https://kiosk/',
    'app://other/index.html',
    'app://kiosk.evil/',
    'app://kiosk@evil/',
    'app://evil@kiosk/',
    'app://kiosk:8080/',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<h1>x</h1>',
    '',
    'not a url',
    null,
    undefined,
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('crash budget', () => {
  it('reloads three times within five minutes, then asks for a relaunch', () => {
    const budget = new CrashBudget(3, 5 * 60_000);
    const t0 = 1_000_000;
    expect(budget.record(t0)).toBe('reload');
    expect(budget.record(t0 + 1_000)).toBe('reload');
    expect(budget.record(t0 + 2_000)).toBe('reload');
    expect(budget.record(t0 + 3_000)).toBe('relaunch');
  });

  it('forgets crashes older than the window', () => {
    const budget = new CrashBudget(3, 5 * 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) budget.record(t0 + i);
    expect(budget.record(t0 + 5 * 60_000 + 10)).toBe('reload');
  });
});

describe('app:// path resolution', () => {
  const root = resolve('/opt/kiosk/dist/renderer');

  it('maps the app origin onto files under the renderer dir', () => {
    expect(resolveAppFile(root, 'app://kiosk/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kiosk/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://kiosk/assets/index-4f2a.js?v=1')).toBe(join(root, 'assets', 'index-4f2a.js'));
    expect(resolveAppFile(root, 'app://kiosk/fonts/%E6%80%9D%E6%BA%90.woff2')).toBe(join(root, 'fonts', '思源.woff2'));
  });

  it.each([
    'app://kiosk/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://kiosk/..%5c..%5cwindows%5cwin.ini',
    'app://kiosk/index.html%00.js',
    'app://kiosk/%E0%A4%A',
    'app://kiosk/.env',
    'app://kiosk/assets/.git/config',
    'app://other/index.html',
    'file:///etc/passwd',
  ])('refuses %s', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('never leaves the root', () => {
    // Dot segments, plain or encoded, are folded by the URL parser to a path inside the root.
    for (const url of ['app://kiosk/../../etc/passwd', 'app://kiosk/%2e%2e/%2e%2e/etc/passwd', 'app://kiosk/a/..%2f..%2f..%2fetc/passwd', 'app://kiosk/%2fetc%2fpasswd']) {
      const file = resolveAppFile(root, url);
      expect(file === null || file.startsWith(root + '/')).toBe(true);
    }
  });
});
