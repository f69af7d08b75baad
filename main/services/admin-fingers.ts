import { z } from 'zod';
import { rosterPullSchema, templateDownloadSchema } from '../../core/attendance/roster.ts';
import { isServerFailure, serverRequestOf } from '../../core/http/central-server-request.ts';
import type { CentralServerClient } from './central-server-client.ts';
import type { Logger } from './logger.ts';
import { hallApi } from '../../core/http/contract.ts';

const pullWithRosterSchema = z.object({ staff: rosterPullSchema.optional() });

// Short: someone is standing at the reader. A slower server falls back to the last answer.
const requestTimeoutMs = 5_000;

interface AdminTemplate {
  staffId: string;
  revision: number;
  template: Buffer;
}

/**
 * The fingerprint templates of the hall's active admins, as the hall server holds them. The
 * privileged side fetches them itself with the device token, so which finger is an admin's never
 * rests on the page's word: the roster and the slot map in the renderer are only for showing
 * names. Kept in memory only (templates are personal data) and never logged.
 */
export class AdminFingers {
  private known = new Map<string, AdminTemplate>();
  private loaded = false;

  constructor(private readonly options: { server: Pick<CentralServerClient, 'request'>; logger: Logger }) {}

  /**
   * Asks the hall server for the admins and their templates (downloading only changed ones).
   * Unreachable or half-answered, the last complete answer stands; false when there never was one.
   */
  async refresh(): Promise<boolean> {
    try {
      const next = await this.fetch();
      if (next) {
        this.known = next;
        this.loaded = true;
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'admin fingerprints: the hall server answered unexpectedly');
    }
    return this.loaded;
  }

  /** The staff id of the admin whose template this is, or null. */
  ownerOf(template: Buffer): string | null {
    for (const admin of this.known.values()) if (admin.template.equals(template)) return admin.staffId;
    return null;
  }

  private async fetch(): Promise<Map<string, AdminTemplate> | null> {
    // A pull without cursors has no side effects on the server and carries the whole roster.
    const reply = await this.options.server.request({ ...serverRequestOf(hallApi.syncPull), timeoutMs: requestTimeoutMs });
    if (isServerFailure(reply) || reply.status !== 200) return null;
    const roster = pullWithRosterSchema.parse(reply.body).staff;
    const admins = new Set((roster?.members ?? []).filter((m) => m.role === 'admin' && m.active).map((m) => m.id));
    const next = new Map<string, AdminTemplate>();
    for (const ref of roster?.templates ?? []) {
      if (!admins.has(ref.staffId)) continue;
      const key = `${ref.staffId}#${ref.finger}`;
      const held = this.known.get(key);
      if (held && held.revision === ref.revision) {
        next.set(key, held);
        continue;
      }
      const download = await this.options.server.request({ ...serverRequestOf(hallApi.templateDownload, { params: ref }), timeoutMs: requestTimeoutMs });
      if (isServerFailure(download) || download.status !== 200) return null;
      const body = templateDownloadSchema.parse(download.body);
      next.set(key, { staffId: ref.staffId, revision: body.revision, template: Buffer.from(body.template, 'base64') });
    }
    return next;
  }
}
