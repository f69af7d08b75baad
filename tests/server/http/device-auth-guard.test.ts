import { expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../../../server/http/route-context.ts';
import type * as DeviceStatusRoutes from '../../../server/devices/status-routes.ts';
import { describeEngines } from '../support/engines.ts';
import { startTestServer } from '../support/servers.ts';

/**
 * A route module that, besides its real routes, registers one device route the old way: its
 * token checked in preHandler, after Fastify has read up to 1 MiB of body. Switched on per test.
 */
const slipBack = vi.hoisted(() => ({ hook: null as 'preHandler' | 'onRequest' | null }));
vi.mock('../../../server/devices/status-routes.ts', async (importOriginal) => {
  const real = await importOriginal<typeof DeviceStatusRoutes>();
  return {
    ...real,
    registerDeviceStatusRoutes(app: FastifyInstance, ctx: RouteContext) {
      real.registerDeviceStatusRoutes(app, ctx);
      if (slipBack.hook) app.post('/api/v1/added-later', { [slipBack.hook]: ctx.requireDevice }, async () => ({ ok: true }));
    },
  };
});

describeEngines('a device route must authenticate before the body is read', (engine) => {
  it('refuses to start when a device route authenticates in preHandler, naming the route', async () => {
    slipBack.hook = 'preHandler';
    const db = await engine.fresh();
    await expect(startTestServer(db)).rejects.toThrow('POST /api/v1/added-later: authenticate devices with { onRequest: ctx.requireDevice }, before the body is read');
  });

  it('starts with the same route authenticating in onRequest, and it refuses a missing token', async () => {
    slipBack.hook = 'onRequest';
    const server = await startTestServer(await engine.fresh());
    try {
      const response = await fetch(`${server.url}/api/v1/added-later`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
