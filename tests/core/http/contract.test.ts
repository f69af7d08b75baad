import { describe, expect, it } from 'vitest';
import { deviceRequestOf, isKioskRoute, isPageRoute, kioskRouteOf, pageServerRequestSchema, serverRequestOf, serverRequestSchema } from '../../../core/http/central-server-request.ts';
import { adminApiPrefix, adminPages, hallApi, hallRoutes } from '../../../core/http/contract.ts';
import { callers, compileRoutes, httpMethods, isJsonBody, matchRoute, pathOf, requestOf } from '../../../core/http/route-contract.ts';
import type { RouteSpec } from '../../../core/http/route-contract.ts';

/**
 * The kiosk page's allow-list as it was written by hand before the contract (issue 12 §3), with the
 * privileged side's routes already taken out of the page's reach (§2): the oracle the derived one
 * must never be more permissive than.
 */
const handWrittenPageRoutes: ReadonlyArray<{ method: string; path: RegExp }> = [
  { method: 'POST', path: /^\/api\/v1\/sync\/push$/ },
  { method: 'GET', path: /^\/api\/v1\/sync\/pull(\?(cursor|for)=[A-Za-z0-9_.%-]{1,2048}(&(cursor|for)=[A-Za-z0-9_.%-]{1,2048})?)?$/ },
  { method: 'POST', path: /^\/api\/v1\/numbers\/next$/ },
  { method: 'POST', path: /^\/api\/v1\/numbers\/lease$/ },
  { method: 'POST', path: /^\/api\/v1\/attendance\/checkins$/ },
  { method: 'GET', path: /^\/api\/v1\/queue\/[A-Za-z0-9_-]{1,64}$/ },
  { method: 'GET', path: /^\/api\/v1\/time$/ },
  { method: 'POST', path: /^\/api\/v1\/devices\/status$/ },
];
const handWrittenIsPageRoute = (method: string, path: string) => handWrittenPageRoutes.some((r) => r.method === method && r.path.test(path));

/** Every method and path a page could try, built from every route of the table with hostile parts. */
function hostileRequests(): Array<[string, string]> {
  const values = ['x', 'A1', 'ss-card', '9', '10', '-1', '..', '.', '.a', 'a.', 'a..b', '%2e%2e', '%2E%2E', '%2f', 'a%2Fb', 'a/b', '', 'stream', 'templates', 'a b', 'a\\b', '\u0000', '٣', 'x'.repeat(36), 'x'.repeat(37), 'x'.repeat(64), 'x'.repeat(65)];
  const queries = ['', '?', '?for=page', '?cursor=abc&for=page', '?for=roster', '?cursor=abc', '?cursor=abc&staffCursor=d.e', '?staffCursor=a&cursor=b', '?cursor=abc&cursor=d', '?cursor=', '?cursor', '?foo=1', '?cursor=a&foo=1', '?after=1&limit=2', '?after=x', `?limit=${'9'.repeat(16)}`, '?after=1&after=2', '#x', `?cursor=${'a'.repeat(2049)}`, '?cursor=a%2Fb', '?cursor=a/b', '&cursor=a', '?cursor=a&'];
  const methods = [...httpMethods, 'get', 'HEAD'];
  const paths = new Set<string>();
  for (const route of [...hallRoutes, ...adminPages]) {
    const names = route.path.split('/').filter((s) => s.startsWith(':'));
    const fills = names.length === 0 ? [route.path] : values.flatMap((v) => [route.path.replaceAll(/:[A-Za-z]+/g, v), route.path.replace(/:[A-Za-z]+/, v).replace(/:[A-Za-z]+/g, '1')]);
    for (const path of fills) for (const query of queries) paths.add(`${path}${query}`);
    paths.add(`${route.path}/`);
    paths.add(`/${route.path}`);
    paths.add(`${route.path}/..`);
    paths.add(`http://evil.example${route.path}`);
    paths.add(route.path.toUpperCase());
  }
  for (const extra of ['/api/v1/queue/a/../../admin/devices', '/api/v1/staff/../templates/1', '/api/v1/staff/%2e%2e/templates/1', '/api/v1/sync/pull/../push', '/api/v1/queue/x/', '//api/v1/time', '/api//v1/time']) paths.add(extra);
  return methods.flatMap((method) => [...paths].map((path): [string, string] => [method, path]));
}

describe('the hall server contract (core/http/contract.ts)', () => {
  it('names every route once, with a known caller and method, and a schema for each path parameter', () => {
    const keys = hallRoutes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of hallRoutes as readonly RouteSpec[]) {
      const label = `${route.method} ${route.path}`;
      expect(callers, label).toContain(route.caller);
      expect(httpMethods, label).toContain(route.method);
      expect(route.summary.length, label).toBeGreaterThan(2);
      const names = route.path.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1));
      expect(Object.keys(route.params ?? {}).sort(), label).toEqual(names.sort());
      // The admin surface is recognised by its prefix (CSRF guard): nobody else may live under it.
      expect(route.path.startsWith(adminApiPrefix), label).toBe(route.caller === 'admin' || route === hallApi.adminLogin);
      if (route.path.startsWith('/api/v1/')) expect(isJsonBody(route.response) || route === hallApi.queueStream || route === hallApi.hallEvents || route === hallApi.liveTicketEvents || route === hallApi.displayEvents || route.path.endsWith('.csv') || route.path.endsWith('.xlsx'), label).toBe(true);
    }
  });

  it('opens to the kiosk page only device routes and the clock, by GET, POST or PUT, each parameter with its URL characters', () => {
    const open = (hallRoutes as readonly RouteSpec[]).filter((r) => r.page);
    expect(open.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        'GET /api/v1/queue/:serviceId',
        'GET /api/v1/sync/pull',
        'GET /api/v1/time',
        'POST /api/v1/attendance/checkins',
        'POST /api/v1/devices/status',
        'POST /api/v1/numbers/lease',
        'POST /api/v1/numbers/next',
        'POST /api/v1/sync/push',
      ].sort(),
    );
    for (const route of open) {
      expect(route.caller === 'device' || route === hallApi.time).toBe(true);
      expect(serverRequestSchema.shape.method.options).toContain(route.method);
      // No parameter's characters can spell a step up the path or an escape.
      for (const text of Object.values(route.page?.params ?? {})) {
        for (const bad of ['.', '..', '%2e', 'a/b', 'a%2Fb', '']) expect(new RegExp(`^(?:${text})$`).test(bad), `${route.path} ${text} ${bad}`).toBe(false);
      }
    }
  });

  it("derives the page's allow-list, which refuses everything the hand-written one refused", () => {
    const requests = hostileRequests();
    expect(requests.length).toBeGreaterThan(10_000);
    const widened = requests.filter(([method, path]) => isPageRoute(method, path) && !handWrittenIsPageRoute(method, path));
    expect(widened).toEqual([]);
    // …and is no pushover: what it refuses beyond the old list is on purpose.
    const narrowed = requests.filter(([method, path]) => handWrittenIsPageRoute(method, path) && !isPageRoute(method, path)).map(([method, path]) => `${method} ${path}`);
    expect(narrowed.sort()).toEqual([
      // the privileged side's own stream, which the old pattern took for a service id
      'GET /api/v1/queue/stream',
      // a key given twice: the server would read an array and refuse it anyway
      'GET /api/v1/sync/pull?cursor=abc&cursor=d',
      // the page pulls for itself only; the roster is the privileged side's pull
      'GET /api/v1/sync/pull?for=roster',
    ]);
    expect(requests.filter(([method, path]) => isPageRoute(method, path)).length).toBeGreaterThan(15);
  });

  it("keeps the privileged side's own routes out of the page's reach, but not out of the kiosk's", () => {
    const own = [
      deviceRequestOf(hallApi.syncPrivilegedPull, { query: { cursor: 'AAEC.x' } }),
      deviceRequestOf(hallApi.templateUpload, { params: { staffId: 'zhang.wei-1', finger: 3 }, body: { template: 'AAAA', format: 'as608-char' } }),
      deviceRequestOf(hallApi.templateDownload, { params: { staffId: '1001', finger: 0 } }),
      deviceRequestOf(hallApi.templatePage, { query: { after: 12, limit: 100 } }),
      deviceRequestOf(hallApi.updatesHealth, { body: { version: '1.2.0', platform: 'linux', channel: 'stable', previousVersion: null, reason: 'crash-loop', starts: 3 } }),
    ];
    for (const request of own) {
      expect(isKioskRoute(request.method, request.path), request.path).toBe(true);
      expect(isPageRoute(request.method, request.path), request.path).toBe(false);
      expect(serverRequestSchema.safeParse(request).success, request.path).toBe(true);
      expect(pageServerRequestSchema.safeParse(request).error?.issues[0]?.message, request.path).toContain("the privileged side's own route");
    }
  });

  it('refuses the admin API, enrolment, template deletion, the queue stream and every trick on a path', () => {
    const refused: Array<[string, string]> = [
      ['POST', '/api/v1/devices/enroll'],
      ['GET', '/api/v1/admin/devices'],
      ['POST', '/api/v1/admin/login'],
      ['DELETE', '/api/v1/staff/1001/templates/1'],
      ['GET', '/updates/stable/latest.yml'],
      // The privileged side's own stream: the page's "queue of service 'stream'" is not a service.
      ['GET', '/api/v1/queue/stream'],
      ['GET', '/api/v1/queue/..'],
      ['GET', '/api/v1/queue/%2e%2e'],
      ['GET', '/api/v1/queue/a/../../admin/devices'],
      ['GET', '/api/v1/staff/../templates/1'],
      ['PUT', '/api/v1/staff/.hidden/templates/1'],
      ['PUT', '/api/v1/staff/1001/templates/10'],
      ['GET', '/api/v1/sync/pull?'],
      ['GET', '/api/v1/sync/pull?cursor=a&cursor=b'],
      ['GET', '/api/v1/sync/pull?cursor=a&admin=1'],
      ['GET', `/api/v1/sync/pull?cursor=${'a'.repeat(2049)}`],
      ['GET', '/api/v1/staff/templates?after=-1'],
      ['POST', '/api/v1/numbers/next?x=1'],
      ['GET', '/api/v1/numbers/next'],
      ['post', '/api/v1/numbers/next'],
      ['POST', 'http://evil.example/api/v1/numbers/next'],
      ['POST', '//evil.example/api/v1/numbers/next'],
      ['POST', '/api/v1/numbers/next/'],
    ];
    for (const [method, path] of refused) expect(isPageRoute(method, path), `${method} ${path}`).toBe(false);
    // Nor may the privileged side send the device token there.
    for (const [method, path] of refused.slice(0, 5)) expect(isKioskRoute(method, path), `${method} ${path}`).toBe(false);
    expect(pageServerRequestSchema.safeParse({ method: 'GET', path: '/api/v1/queue/stream' }).error?.issues[0]?.message).toContain("the privileged side's own route");
  });

  it('lets through every request the kiosk builds from the contract, to the route it names', () => {
    const built = [
      [hallApi.syncPush, serverRequestOf(hallApi.syncPush, { body: { sentAt: 1, events: [] } })],
      [hallApi.syncPull, serverRequestOf(hallApi.syncPull)],
      [hallApi.syncPull, serverRequestOf(hallApi.syncPull, { query: { cursor: 'AAEC.x-_y', for: 'page' } })],
      [hallApi.syncPull, serverRequestOf(hallApi.syncPull, { query: { cursor: undefined, for: 'page' } })],
      [hallApi.numbersNext, serverRequestOf(hallApi.numbersNext, { body: { serviceId: 'ss-card', priority: 'normal' } })],
      [hallApi.numbersLease, serverRequestOf(hallApi.numbersLease, { body: { serviceId: 'ss-card', day: '2026-03-02', count: 20 } })],
      [hallApi.queue, serverRequestOf(hallApi.queue, { params: { serviceId: 'ss-card' } })],
      [hallApi.attendanceCheckin, serverRequestOf(hallApi.attendanceCheckin, { body: { checkin: { id: '0190a6b0-0000-7000-8000-000000000000', staffId: 'A1', kind: 'sign-in', at: 1 } } })],
    ] as const;
    for (const [route, request] of built) {
      expect(kioskRouteOf(request.method, request.path), request.path).toBe(route);
      expect(handWrittenIsPageRoute(request.method, request.path), request.path).toBe(true);
      expect(serverRequestSchema.safeParse(request).success, request.path).toBe(true);
    }
    expect(serverRequestOf(hallApi.syncPull, { query: { cursor: 'a b/c' } }).path).toBe('/api/v1/sync/pull?cursor=a%20b%2Fc');
  });
});

describe('building and matching requests (core/http/route-contract.ts)', () => {
  it('fills and encodes path parameters and leaves out absent query keys', () => {
    expect(pathOf(hallApi.templateDownload, { params: { staffId: 'a/b?', finger: 2 } })).toBe('/api/v1/staff/a%2Fb%3F/templates/2');
    expect(pathOf(hallApi.syncPull, { query: { cursor: undefined } })).toBe('/api/v1/sync/pull');
    expect(pathOf(hallApi.adminTemplateAudit, { query: { limit: 5 } })).toBe('/api/v1/admin/template-audit?limit=5');
    expect(requestOf(hallApi.adminStaffUpdate, { params: { id: '1001' }, body: { name: '王芳' } })).toEqual({ method: 'PATCH', path: '/api/v1/admin/staff/1001', body: { name: '王芳' } });
    expect(requestOf(hallApi.adminLogout)).toEqual({ method: 'POST', path: '/api/v1/admin/logout' });
  });

  it('picks a fixed segment over a parameter, as the server’s router does', () => {
    const routes = compileRoutes(hallRoutes);
    expect(matchRoute(routes, 'GET', '/api/v1/queue/stream')?.spec).toBe(hallApi.queueStream);
    expect(matchRoute(routes, 'GET', '/api/v1/queue/ss-card')).toEqual({ spec: hallApi.queue, params: { serviceId: 'ss-card' } });
    expect(matchRoute(routes, 'GET', '/api/v1/staff/templates')?.spec).toBe(hallApi.templatePage);
    expect(matchRoute(routes, 'GET', '/api/v1/staff/1001/templates/2')).toEqual({ spec: hallApi.templateDownload, params: { staffId: '1001', finger: '2' } });
    expect(matchRoute(routes, 'GET', '/api/v1/queue/')).toBeNull();
    expect(matchRoute(routes, 'GET', 'api/v1/time')).toBeNull();
  });
});
