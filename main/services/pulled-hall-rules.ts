import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ServerReply, ServerRequest } from '../../core/http/central-server-request.ts';
import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { Logger } from './logger.ts';

const pullPath = hallApi.syncPull.path;

/**
 * The hall calendar as the privileged side last saw it pass through a pull reply (the renderer
 * keeps its own copy in IndexedDB, out of reach here). Kept in a file, because a pull carries the
 * calendar only when it changed: after a restart the update policy still knows the hall's hours.
 */
export class PulledHallRules {
  private rules: HallRules | null = null;

  /** `file`: where to keep it; null keeps it for this run only */
  constructor(
    private readonly file: string | null,
    private readonly logger: Logger,
  ) {
    if (!file) return;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return; // none pulled yet
    }
    const parsed = parseHallRules(safeJson(text));
    if (parsed.ok) this.rules = parsed.rules;
    else logger.warn({ problems: parsed.errors.length }, 'the kept hall calendar is not valid; waiting for the next one the server sends');
  }

  current(): HallRules | null {
    return this.rules;
  }

  /** Sees every reply of the hall server; a calendar in a pull is the server's latest (after a restore too). */
  observe(request: ServerRequest, reply: ServerReply): void {
    if (request.method !== 'GET' || !request.path.startsWith(pullPath) || reply.status !== 200 || !('body' in reply)) return;
    const raw = (reply.body as { hallRules?: unknown } | null)?.hallRules;
    if (raw === undefined || raw === null) return;
    const parsed = parseHallRules(raw);
    if (!parsed.ok) return;
    this.rules = parsed.rules;
    if (!this.file) return;
    try {
      // Written aside and renamed, so a power cut leaves the old file or the new one.
      writeFileSync(`${this.file}.tmp`, JSON.stringify(parsed.rules), { mode: 0o600 });
      renameSync(`${this.file}.tmp`, this.file);
    } catch (error) {
      this.logger.warn({ err: error }, 'could not keep the hall calendar on disk; it is used for this run');
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
