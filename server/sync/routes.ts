import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';
import { openSpotChecks } from '../attendance/spot-checks.ts';
import { staffPullFields } from '../staff/roster-pull.ts';
import { privilegedPull } from './privileged-pull.ts';
import { pullChanges } from './pull.ts';
import { applyPush } from './push.ts';

export function registerSyncRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db, clock, catalogs, calendars } = ctx;
  const serve = contractRoutes(app, ctx);

  serve(hallApi.time, async () => ({ serverTime: clock.now() }));

  serve(hallApi.syncPush, async ({ device, body: batch }, request) => {
    const deviceId = device.id;
    const outcome = await applyPush({ db, clock, catalogs, calendars, hooks: ctx.hooks }, deviceId, batch);
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

  serve(hallApi.syncPull, async ({ device, query }, request) => {
    const deviceId = device.id;
    const outcome = await pullChanges({ db, clock, catalogs, calendars }, deviceId, query.cursor);
    if (!outcome.ok) throw new ApiError(400, 'cursor-invalid', `${outcome.reason}; pull without a cursor to start over`, { field: 'cursor' });
    if (outcome.response.reset) request.log.warn({ device: deviceId, lastAppliedSeq: outcome.response.lastAppliedSeq }, 'pull reset: cursor from another history');
    if (query.for === 'page') {
      // The kiosk's privileged side pulls the roster and the hall rules itself (below).
      const { hallRules: _rules, ...records } = outcome.response;
      return { ...records, spotChecks: await openSpotChecks(db, clock.now()), serverTime: clock.now() };
    }
    const staff = await staffPullFields(db, clock.now(), query.staffCursor, outcome.response.reset);
    return { ...outcome.response, ...staff, serverTime: clock.now() };
  });

  // What the kiosk's privileged side owns (docs/architecture.md, "One owner per piece of data").
  serve(hallApi.syncPrivilegedPull, async ({ device, query }, request) => {
    const pulled = await privilegedPull(db, calendars, query.cursor);
    if (pulled.staff.full && query.cursor !== undefined) request.log.info({ device: device.id }, 'privileged pull: whole roster sent for a cursor from another history');
    return { ...pulled, serverTime: clock.now() };
  });
}
