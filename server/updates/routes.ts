import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { hallApi } from '../../core/http/contract.ts';
import { UpdateFeedError, type UpdateFeed } from './update-feed.ts';
import { ApiError } from '../http/api-error.ts';
import { contractRoutes } from '../http/contract-routes.ts';
import type { RouteContext } from '../http/route-context.ts';

/**
 * The kiosks' update feed (electron-updater's generic provider) and their health reports. The feed
 * is public inside the hall network like any installer share: it holds nothing secret, and
 * electron-updater checks every download against the SHA-512 in the update info.
 */
export function registerUpdateRoutes(app: FastifyInstance, ctx: RouteContext, feed: UpdateFeed | null): void {
  const serve = contractRoutes(app, ctx);

  serve(hallApi.updateFile, async ({ params: { channel, file } }, _request, reply) => {
    const path = feed?.servedFile(channel, file) ?? null;
    const found = path ? await stat(path).catch(() => null) : null;
    if (!path || !found?.isFile()) {
      throw new ApiError(404, 'not-found', feed ? `no update file ${channel}/${file}` : 'this server has no update feed; start it with --updates-dir');
    }
    const isInfo = file.endsWith('.yml');
    reply.header('content-type', isInfo ? 'text/yaml; charset=utf-8' : 'application/octet-stream');
    reply.header('content-length', String(found.size));
    // The update info changes when a release is withdrawn or widened: always revalidate it.
    // An installer's name carries its version, so it never changes.
    reply.header('cache-control', isInfo ? 'no-cache' : 'public, max-age=31536000, immutable');
    return reply.send(createReadStream(path));
  });

  serve(hallApi.updatesHealth, async ({ device, body: report }, request) => {
    if (!feed) return { withdrawn: false, known: false };
    const reason = `kiosk ${device.id}: ${report.reason} after ${report.starts} start(s), previous version ${report.previousVersion ?? 'unknown'}`;
    try {
      const outcome = await feed.withdraw(report.channel, report.platform, report.version, reason, ctx.clock);
      request.log.warn({ device: device.id, version: report.version, platform: report.platform, channel: report.channel, reason: report.reason, withdrawn: outcome.withdrawn, nowOffered: outcome.offered?.version ?? null }, 'kiosk reports an unhealthy update');
      return { withdrawn: outcome.withdrawn, known: true, offered: outcome.offered?.version ?? null };
    } catch (error) {
      // A version the feed never offered (installed by hand, or another channel): nothing to withdraw.
      if (error instanceof UpdateFeedError) return { withdrawn: false, known: false };
      throw error;
    }
  });
}
