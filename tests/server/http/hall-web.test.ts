import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { hallWebFilesPath } from '../../../core/http/contract.ts';
import { hallWebCsp, hallWebPageFiles } from '../../../server/http/hall-web.ts';
import { describeEngines } from '../support/engines.ts';
import { useHallServer } from '../support/hall-under-test.ts';

// A build as Vite leaves it (vite.hall.config.ts): the counter's page and a hashed script.
const built = mkdtempSync(join(tmpdir(), 'hall-web-'));
mkdirSync(join(built, 'calling', 'web'), { recursive: true });
mkdirSync(join(built, 'assets'));
writeFileSync(join(built, hallWebPageFiles['/counter']), '<!doctype html><title>counter</title><script type="module" src="/hall-web/assets/counter-abc.js"></script><div id="root"></div>');
writeFileSync(join(built, 'assets', 'counter-abc.js'), 'console.log("counter")');
mkdirSync(join(built, 'live', 'web'), { recursive: true });
writeFileSync(join(built, hallWebPageFiles['/t/:token']), '<!doctype html><title>live</title><div id="root"></div>');
const missing = join(built, 'not-built');
afterAll(() => rmSync(built, { recursive: true, force: true }));

describeEngines('the hall server serves its web apps', (engine) => {
  let dir = built;
  const hall = useHallServer(engine, { server: () => ({ hallWebDir: dir }) });

  it('serves the live ticket page at /t/<token> whatever the token (the page asks the API), with the strict CSP and no referrer', async () => {
    for (const token of ['AQgPFh0kKzI5QEdOVVxjag', 'not-a-token']) {
      const page = await fetch(`${hall.server.url}/t/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>live</title>');
      expect(page.headers.get('content-security-policy')).toBe(hallWebCsp);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('serves the counter page at /counter and its files under /hall-web/, each with the strict CSP', async () => {
    const page = await fetch(`${hall.server.url}/counter`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('/hall-web/assets/counter-abc.js');
    expect(page.headers.get('cache-control')).toBe('no-store');

    const script = await fetch(`${hall.server.url}${hallWebFilesPath}assets/counter-abc.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');

    for (const response of [page, script]) {
      const csp = response.headers.get('content-security-policy');
      expect(csp).toBe(hallWebCsp);
      // No inline script, no script from elsewhere, requests back to this server only.
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // Nothing outside the build is reachable through the files' path.
    expect([403, 404]).toContain((await fetch(`${hall.server.url}${hallWebFilesPath}..%2f..%2fpackage.json`)).status);
  });

  it('says 503 with `npm run build` when the build is missing, under the same CSP', async () => {
    dir = missing;
    try {
      await hall.restart();
      const page = await fetch(`${hall.server.url}/counter`);
      expect(page.status).toBe(503);
      expect(page.headers.get('content-security-policy')).toBe(hallWebCsp);
      const text = await page.text();
      expect(text).toContain('npm run build');
      expect(text).toContain(join(missing, hallWebPageFiles['/counter']));
      const file = await fetch(`${hall.server.url}${hallWebFilesPath}assets/counter-abc.js`);
      expect(file.status).toBe(503);
      expect(await file.text()).toContain('npm run build');
    } finally {
      dir = built;
    }
  });
});
