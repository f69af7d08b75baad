import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import type { Logger } from './logger.ts';

/**
 * The hall calendar as the privileged side's own pull (PrivilegedSync) last brought it: what the
 * update policy's quiet hours follow, and what the page decides ticket issue by (kiosk API
 * hall.rules and the hall-rules event). Kept in a file, because a pull carries the calendar only
 * when it changed: after a restart, and offline, the kiosk still knows the hall's hours.
 */
export class PulledHallRules {
  private rules: HallRules | null = null;
  private readonly listeners = new Set<(rules: HallRules) => void>();

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

  /** Each calendar a pull brings, once kept. */
  onChange(listener: (rules: HallRules) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A calendar the hall server sent (the server's latest, after a restore too); one that does not validate changes nothing. */
  keep(raw: unknown): boolean {
    const parsed = parseHallRules(raw);
    if (!parsed.ok) {
      this.logger.warn({ problems: parsed.errors.length }, 'the hall server sent a hall calendar that is not valid; the one held stays');
      return false;
    }
    this.rules = parsed.rules;
    if (this.file) {
      try {
        // Written aside and renamed, so a power cut leaves the old file or the new one.
        writeFileSync(`${this.file}.tmp`, JSON.stringify(parsed.rules), { mode: 0o600 });
        renameSync(`${this.file}.tmp`, this.file);
      } catch (error) {
        this.logger.warn({ err: error }, 'could not keep the hall calendar on disk; it is used for this run');
      }
    }
    for (const listener of [...this.listeners]) listener(parsed.rules);
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
