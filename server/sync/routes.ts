import type { FastifyInstance } from 'fastify';
import { pullQuerySchema } from '../../core/sync/pull.ts';
import type { PullResponse } from '../../core/sync/pull.ts';
import { pushRequestSchema } from '../../core/sync/push.ts';
import type { PushResponse } from '../../core/sync/push.ts';
import { ApiError, parseOrThrow } from '../http/api-error.ts';
import { deviceOf } from '../http/route-context.ts';
import type { RouteContext } from '../http/route-context.ts';
import { staffPullFields } from '../staff/roster-pull.ts';
import { pullChanges } from './pull.ts';
import { applyPush } from './push.ts';

export function registerSyncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs, calendars } = ctx;
  const device = { onRequest: ctx.requireDevice };

  app.get('/api/v1/time', async () => ({ serverTime: clock.now() }));

  app.post('/api/v1/sync/push', device, async (request): Promise<PushResponse> => {
    const { id: deviceId } = deviceOf(request);
    const batch = parseOrThrow(pushRequestSchema, request.body, 'push');
    const outcome = await applyPush({ db, clock, catalogs, hooks: ctx.hooks }, deviceId, batch);
    switch (outcome.kind) {
      case 'gap':
        throw new ApiError(
          409,
          'seq-gap',
          `the server holds this device's events up to seq ${outcome.lastAppliedSeq} but the batch starts at ${outcome.firstSeq}: send from seq ${outcome.lastAppliedSeq + 1} (or declare prunedThrough if the device no longer has them)`,
          { lastAppliedSeq: outcome.lastAppliedSeq },
        );
      case 'conflict':
        throw new ApiError(
          409,
          'seq-conflict',
          `seq ${outcome.seq} was already applied as a different event (${outcome.heldEventId}): the device's event log was reset; enroll it again as a new device`,
          { lastAppliedSeq: outcome.lastAppliedSeq },
        );
      case 'done': {
        const deadLettered = outcome.results.filter((r) => r.status === 'dead-lettered').length;
        if (deadLettered) request.log.warn({ device: deviceId, deadLettered }, 'events dead-lettered');
        return { serverTime: clock.now(), epoch: outcome.epoch, lastAppliedSeq: outcome.lastAppliedSeq, results: outcome.results };
      }
    }
  });

  app.get('/api/v1/sync/pull', device, async (request): Promise<PullResponse> => {
    const { id: deviceId } = deviceOf(request);
    const query = parseOrThrow(pullQuerySchema, request.query, 'pull');
    const outcome = await pullChanges({ db, clock, catalogs, calendars, restore: ctx.restore }, deviceId, query.cursor);
    if (!outcome.ok) throw new ApiError(400, 'cursor-invalid', `${outcome.reason}; pull without a cursor to start over`, { field: 'cursor' });
    if (outcome.response.reset) request.log.warn({ device: deviceId, lastAppliedSeq: outcome.response.lastAppliedSeq }, 'pull reset: cursor from another history');
    const staff = await staffPullFields(db, clock.now(), query.staffCursor, outcome.response.reset);
    return { ...outcome.response, ...staff, serverTime: clock.now() };
  });
}
