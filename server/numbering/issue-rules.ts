import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import { currentSession, serviceAvailability, type ClosedReason, type ServiceAvailability } from '../../core/calendar/hall-calendar.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import { serviceRuleOf } from '../../core/calendar/opening-hours.ts';
import { epochAtWallTime } from '../../core/calendar/wall-clock.ts';
import type { Database } from '../db/schema.ts';
import type { CatalogStore, StoredCatalog } from '../catalog/catalog-store.ts';
import type { HallCalendarStore } from '../calendar/calendar-store.ts';
import { hallStateOf, type HallState } from '../hall/hall-settings.ts';
import type { CounterKey } from './numbering.ts';

/**
 * The hall calendar as the server enforces it on /next and on leases: issue windows, holidays,
 * the day's and each session's 限号. The kiosk applies the same rules (core/calendar/hall-calendar.ts)
 * to what it offers; the server's answer wins, so two kiosks cannot together overrun a session.
 *
 * Until the hall saves a calendar the server checks only the catalog's quota, as it always did:
 * the bundled demo rules are the kiosks' fallback, not the hall's decision.
 */

export interface NumberingState {
  hall: HallState;
  /** null before the hall saved a calendar */
  rules: HallRules | null;
  /** the published catalog; null before the first one */
  catalog: StoredCatalog | null;
}

/**
 * The hall's settings, the calendar's head and the catalog's in the one query numbering makes
 * anyway: the parsed calendar and catalog are cached by their stores and re-read only when a head
 * moved, so neither costs a round trip per number yet another server process's save is seen at once.
 */
export async function readNumberingState(db: Kysely<Database>, calendars: HallCalendarStore, catalogs: CatalogStore): Promise<NumberingState> {
  const calendarHead = (column: 'revision' | 'saved_at') => db.selectFrom('hall_calendar').select(column).orderBy('revision', 'desc').limit(1);
  const catalogHead = (column: 'version' | 'imported_at') => db.selectFrom('catalog_versions').select(column).orderBy('version', 'desc').limit(1);
  const row = await db
    .selectFrom('hall_settings')
    .selectAll()
    .select([
      calendarHead('revision').as('calendar_revision'),
      calendarHead('saved_at').as('calendar_saved_at'),
      catalogHead('version').as('catalog_version'),
      catalogHead('imported_at').as('catalog_imported_at'),
    ])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const head = row.calendar_revision === null || row.calendar_saved_at === null ? null : { revision: Number(row.calendar_revision), savedAt: Number(row.calendar_saved_at) };
  const catalog = row.catalog_version === null || row.catalog_imported_at === null ? null : { version: Number(row.catalog_version), imported_at: Number(row.catalog_imported_at) };
  const [stored, published] = await Promise.all([calendars.atHead(head), catalogs.atHead(catalog)]);
  return { hall: hallStateOf(row), rules: stored?.rules ?? null, catalog: published };
}

export interface IssueRefusal {
  reason: ClosedReason;
  nextOpening: number | null;
  holiday?: LocalizedText;
}

function refusalOf(a: Extract<ServiceAvailability, { open: false }>): IssueRefusal {
  return a.holiday ? { reason: a.reason, nextOpening: a.nextOpening, holiday: a.holiday } : { reason: a.reason, nextOpening: a.nextOpening };
}

/** A session slot taken for an online number: given back if the number itself is refused. */
export interface SessionSlot {
  release(): Promise<void>;
}

export type OnlineIssueCheck = { ok: true; slot: SessionSlot | null } | { ok: false; refusal: IssueRefusal };

/**
 * May /next hand out a number of `key.serviceId` at `now`? Closed hours and closed days refuse at
 * once; a session with its own 限号 gets one slot taken atomically, counting the online numbers
 * given in it and the offline tickets (from leases) pushed for it. The day quota is the number
 * counter's to enforce.
 */
export async function checkOnlineIssue(db: Kysely<Database>, rules: HallRules, key: CounterKey, now: number, timeZone: string): Promise<OnlineIssueCheck> {
  const stretch = openStretchAt(rules, key.serviceId, now, timeZone);
  if (!stretch.open) return { ok: false, refusal: refusalOf(stretch) };
  const { session } = stretch;
  const limit = session ? serviceRuleOf(rules, key.serviceId)?.quota?.perSession?.[session.id] : undefined;
  if (!session || limit === undefined) return { ok: true, slot: null };
  const sessionKey = { ...key, sessionId: session.id };
  if (await takeSessionSlot(db, sessionKey, limit, await offlineIssuedIn(db, key, session))) {
    return { ok: true, slot: { release: () => releaseSessionSlot(db, sessionKey) } };
  }
  const full = serviceAvailability(rules, key.serviceId, now, timeZone, { day: 0, bySession: { [session.id]: limit } });
  return { ok: false, refusal: full.open ? { reason: 'quota-reached-session', nextOpening: null } : refusalOf(full) };
}

/** A service open from `from` until its issue window closes, in one session (or none, around the clock). */
interface OpenStretch {
  open: true;
  from: number;
  until: number;
  session: SessionSpan | null;
}

/**
 * Reading the calendar costs some 80 µs (wall-clock conversions in the hall's zone), more than the
 * rest of a /next; the answer holds until the issue window closes, so it is kept per rules
 * revision (the store hands out one object per revision) and service, and /next compares numbers.
 */
const openStretches = new WeakMap<HallRules, Map<string, OpenStretch>>();

function openStretchAt(rules: HallRules, serviceId: string, now: number, timeZone: string): OpenStretch | Extract<ServiceAvailability, { open: false }> {
  let known = openStretches.get(rules);
  if (!known) openStretches.set(rules, (known = new Map()));
  const id = `${timeZone}\u0000${serviceId}`;
  const kept = known.get(id);
  if (kept && kept.from <= now && now < kept.until) return kept;
  const availability = serviceAvailability(rules, serviceId, now, timeZone);
  if (!availability.open) return availability;
  const session = availability.sessionId === null ? null : currentSession(rules, serviceId, now, timeZone);
  const stretch: OpenStretch = { open: true, from: now, until: availability.issueUntil ?? Infinity, session };
  known.set(id, stretch);
  return stretch;
}

/**
 * May a kiosk lease numbers of a service for `day`? Leases are taken ahead of use (the kiosk asks
 * for today and tomorrow, and does not ask again for a day it was refused), so only a day on which
 * nothing more can be issued is refused: a closed day, or today after its last issue window or
 * with every session left full. A lunch break or an early hour is no reason.
 */
export async function checkLease(db: Kysely<Database>, rules: HallRules, key: CounterKey, now: number, timeZone: string): Promise<IssueRefusal | null> {
  const today = businessDayOf(now, timeZone);
  const at = key.day === today ? now : epochAtWallTime(key.day, '00:00', timeZone);
  const session = key.day === today ? currentSession(rules, key.serviceId, now, timeZone) : null;
  const limit = session ? serviceRuleOf(rules, key.serviceId)?.quota?.perSession?.[session.id] : undefined;
  const issued = session && limit !== undefined ? await sessionIssued(db, key, session) : 0;
  const availability = serviceAvailability(rules, key.serviceId, at, timeZone, session ? { day: 0, bySession: { [session.id]: issued } } : { day: 0 });
  if (availability.open) return null;
  if (availability.nextOpening !== null && businessDayOf(availability.nextOpening, timeZone) === key.day) return null;
  return refusalOf(availability);
}

interface SessionKey extends CounterKey {
  sessionId: string;
}

interface SessionSpan {
  id: string;
  start: number;
  end: number;
}

/**
 * Tickets pushed from leased numbers (at or above the counter's lease floor: leases come down
 * from the top) issued in the session, by the server-corrected time: they were valid on the kiosk
 * and are never refused, but they use up the session's 限号 like online ones.
 */
async function offlineIssuedIn(db: Kysely<Database>, key: CounterKey, session: SessionSpan): Promise<number> {
  const row = await db
    .selectFrom('tickets')
    .innerJoin('number_counters', (j) =>
      j.onRef('number_counters.hall_id', '=', 'tickets.hall_id').onRef('number_counters.service_id', '=', 'tickets.service_id').onRef('number_counters.business_day', '=', 'tickets.business_day'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tickets.hall_id', '=', key.hallId)
    .where('tickets.service_id', '=', key.serviceId)
    .where('tickets.business_day', '=', key.day)
    .where('tickets.corrected_issued_at', '>=', session.start)
    .where('tickets.corrected_issued_at', '<', session.end)
    .whereRef('tickets.sequence', '>=', 'number_counters.lease_floor')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function onlineIssuedIn(db: Kysely<Database>, key: SessionKey): Promise<number> {
  const row = await db
    .selectFrom('session_tallies')
    .select('issued')
    .where('hall_id', '=', key.hallId)
    .where('service_id', '=', key.serviceId)
    .where('business_day', '=', key.day)
    .where('session_id', '=', key.sessionId)
    .executeTakeFirst();
  return Number(row?.issued ?? 0);
}

async function sessionIssued(db: Kysely<Database>, key: CounterKey, session: SessionSpan): Promise<number> {
  return (await onlineIssuedIn(db, { ...key, sessionId: session.id })) + (await offlineIssuedIn(db, key, session));
}

/** One statement, so concurrent requests (and server processes) cannot both take the last slot. */
async function takeSessionSlot(db: Kysely<Database>, key: SessionKey, limit: number, offline: number): Promise<boolean> {
  if (offline >= limit) return false;
  const row = await db
    .insertInto('session_tallies')
    .values({ hall_id: key.hallId, service_id: key.serviceId, business_day: key.day, session_id: key.sessionId, issued: 1 })
    .onConflict((oc) =>
      oc
        .columns(['hall_id', 'service_id', 'business_day', 'session_id'])
        .doUpdateSet({ issued: sql<number>`session_tallies.issued + 1` })
        .where(sql<boolean>`session_tallies.issued + ${offline} < ${limit}`),
    )
    .returning('issued')
    .executeTakeFirst();
  return row !== undefined;
}

async function releaseSessionSlot(db: Kysely<Database>, key: SessionKey): Promise<void> {
  await db
    .updateTable('session_tallies')
    .set({ issued: sql<number>`issued - 1` })
    .where('hall_id', '=', key.hallId)
    .where('service_id', '=', key.serviceId)
    .where('business_day', '=', key.day)
    .where('session_id', '=', key.sessionId)
    .where('issued', '>', 0)
    .execute();
}

