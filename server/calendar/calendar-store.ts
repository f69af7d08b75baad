import type { Kysely } from 'kysely';
import type { Clock } from '../../core/calendar/clock.ts';
import { hallRulesSchema, parseHallRules, type HallRules } from '../../core/calendar/calendar-rules.ts';
import { readDemoHallRules } from './demo-calendar.ts';
import { uniqueViolation } from '../db/constraint-errors.ts';
import type { Database } from '../db/schema.ts';

/** A calendar refused as a whole: every problem at its JSON path, nothing stored. */
export class HallCalendarError extends Error {
  override readonly name = 'HallCalendarError';

  constructor(
    readonly summary: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${summary}\n  ${issues.join('\n  ')}` : summary);
  }
}

export interface StoredHallCalendar {
  revision: number;
  savedAt: number;
  source: string;
  rules: HallRules;
}

/** Which revision is latest, as one cheap query (or a column of another query) reports it. */
export interface CalendarHead {
  revision: number;
  savedAt: number;
}

/**
 * The hall calendar (business hours, sessions, issue windows, quotas, holidays and 调休, 24-hour
 * services) as the hall office edits it. Each save is a new immutable revision numbered by the
 * server: the `revision` inside a file is ignored and replaced, so kiosks, which keep the highest
 * revision they pulled, can never be handed an edit that looks older than the one they hold.
 */
export class HallCalendarStore {
  /**
   * Revisions are immutable rows, so the parsed latest one is kept; the key has the save time too
   * because a restored database may reuse a revision number for other rules. `null` rules: the
   * head was seen and there is no calendar yet.
   */
  private cached: { head: CalendarHead | null; stored: StoredHallCalendar | null } | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  /** The revision kiosks pull, or null before any calendar was saved (kiosks keep their bundled rules). */
  async latest(): Promise<StoredHallCalendar | null> {
    const head = await this.db.selectFrom('hall_calendar').select(['revision', 'saved_at']).orderBy('revision', 'desc').limit(1).executeTakeFirst();
    return this.atHead(head ? { revision: head.revision, savedAt: head.saved_at } : null);
  }

  /**
   * The calendar at a head the caller already read (numbering reads it with the hall's settings,
   * in the one query it makes anyway, see readNumberingState): no round trip unless the head moved,
   * so another server process's save is seen by the very next request.
   */
  async atHead(head: CalendarHead | null): Promise<StoredHallCalendar | null> {
    if (this.cached && sameHead(this.cached.head, head)) return this.cached.stored;
    if (!head) {
      this.cached = { head: null, stored: null };
      return null;
    }
    const row = await this.db.selectFrom('hall_calendar').selectAll().where('revision', '=', head.revision).executeTakeFirst();
    // Revisions are never deleted: a head that vanished means the database was restored meanwhile.
    if (!row) return this.latest();
    // Stored only after validation; a row that no longer parses is a bug worth failing loudly on.
    const stored = { revision: row.revision, savedAt: row.saved_at, source: row.source, rules: hallRulesSchema.parse(JSON.parse(row.rules_json)) };
    this.cached = { head: { revision: row.revision, savedAt: row.saved_at }, stored };
    return stored;
  }

  /**
   * The rules the server judges by where it must have some (attendance): the hall's latest
   * calendar, or the rules kiosks ship with until the hall saved its own — as the calendar route
   * shows them.
   */
  async rulesInForce(): Promise<HallRules> {
    return (await this.latest())?.rules ?? readDemoHallRules();
  }

  async latestRevision(): Promise<number | null> {
    const row = await this.db.selectFrom('hall_calendar').select('revision').orderBy('revision', 'desc').limit(1).executeTakeFirst();
    return row?.revision ?? null;
  }

  /**
   * Validates `raw` completely, then stores it as the next revision. A save racing another one
   * (two admins, or two server processes on one PostgreSQL) loses cleanly instead of overwriting.
   */
  async save(raw: unknown, clock: Clock, source: string): Promise<StoredHallCalendar> {
    const candidate = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), revision: 0 } : raw;
    const parsed = parseHallRules(candidate);
    if (!parsed.ok) throw new HallCalendarError(`hall calendar refused: ${parsed.errors.length} problem(s), nothing saved`, parsed.errors);
    const revision = ((await this.latestRevision()) ?? 0) + 1;
    const rules: HallRules = { ...parsed.rules, revision };
    const savedAt = clock.now();
    try {
      await this.db.insertInto('hall_calendar').values({ revision, rules_json: JSON.stringify(rules), saved_at: savedAt, source: source.slice(0, 200) }).execute();
    } catch (error) {
      if (uniqueViolation(error)) throw new HallCalendarError(`another change saved revision ${revision} at the same moment; load it and try again`);
      throw error;
    }
    const stored = { revision, savedAt, source, rules };
    this.cached = { head: { revision, savedAt }, stored };
    return stored;
  }
}

function sameHead(a: CalendarHead | null, b: CalendarHead | null): boolean {
  return a === null || b === null ? a === b : a.revision === b.revision && a.savedAt === b.savedAt;
}
