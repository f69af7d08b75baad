import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import type { NewWindow, WindowQueue, WindowView } from '../../core/queue/counter-api.ts';
import { newWindowSchema } from '../../core/queue/counter-api.ts';
import { nextLeg } from '../../core/queue/next-ticket.ts';
import { profileServices } from '../../core/queue/window.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { Database } from '../db/schema.ts';
import { readHallState } from '../hall/hall-settings.ts';
import { readCallingSettings } from './calling-settings-store.ts';
import type { StoredLeg } from './leg-rows.ts';
import { legOfRow, readWaitingLegs } from './leg-rows.ts';
import { legView, windowView } from './press-runner.ts';
import { readWindow, readWindows } from './window-rows.ts';

/** The hall's windows as an admin sets them up, and what a window's counter shows of its queue. */

export class WindowSetupError extends Error {
  override readonly name = 'WindowSetupError';
}

/**
 * Creates window `number`, or changes its name, department, profile and evaluator; a window in
 * use keeps its state. Every service of the profile must be in the published catalog.
 */
export async function saveWindow(db: Kysely<Database>, clock: Clock, catalogs: CatalogStore, raw: unknown): Promise<WindowView> {
  const parsed = newWindowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WindowSetupError(`window: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const input: NewWindow = parsed.data;
  const catalog = (await catalogs.latest(db))?.catalog;
  if (!catalog) throw new WindowSetupError('no catalog is published yet: a window serves services of the published catalog');
  const unknown = profileServices(input.profile).filter((id) => !catalog.services.some((s) => s.id === id));
  if (unknown.length) throw new WindowSetupError(`window ${input.number}: no service ${unknown.join(', ')} in the published catalog`);
  if (!catalog.departments.some((d) => d.id === input.departmentId)) throw new WindowSetupError(`window ${input.number}: no department ${input.departmentId} in the published catalog`);
  const { hallId } = await readHallState(db);
  const now = clock.now();
  const definition = { name: input.name, department_id: input.departmentId, profile_json: JSON.stringify(input.profile), has_evaluator: input.hasEvaluator ? 1 : 0, updated_at: now };
  await db
    .insertInto('counter_windows')
    .values({
      hall_id: hallId,
      number: input.number,
      ...definition,
      state: 'closed',
      staff_id: null,
      leg_id: null,
      pause_reason: null,
      pause_note: null,
      pause_since: null,
      since: now,
      recent_calls_json: '[]',
      version: 1,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['hall_id', 'number']).doUpdateSet((eb) => ({ ...definition, version: eb('counter_windows.version', '+', 1) })))
    .execute();
  const stored = (await readWindow(db, hallId, input.number))!;
  return windowView(stored.window, stored.status);
}

export async function listWindows(db: Kysely<Database>): Promise<WindowView[]> {
  const { hallId } = await readHallState(db);
  return (await readWindows(db, hallId)).map((w) => windowView(w.window, w.status));
}

/** At most this many waiting legs are listed, in calling order; the counts cover every one. */
const listedWaiting = 100;

/** What window `number` would call, in order, what it holds and has suspended, and its counts today. */
export async function readWindowQueue(db: Kysely<Database>, clock: Clock, number: number): Promise<WindowQueue | null> {
  const hall = await readHallState(db);
  const stored = await readWindow(db, hall.hallId, number);
  if (!stored) return null;
  const now = clock.now();
  const today = businessDayOf(now, hall.timeZone);
  const settings = await readCallingSettings(db, hall.hallId);
  let legs: StoredLeg[] = await readWaitingLegs(db, hall.hallId, today, profileServices(stored.window.profile), number);
  const waiting: StoredLeg[] = [];
  while (waiting.length < listedWaiting) {
    const choice = nextLeg({ window: stored.window, legs, recentCalls: stored.recentCalls, settings, today, now });
    if (!choice) break;
    waiting.push(choice.leg as StoredLeg);
    legs = legs.filter((l) => l.id !== choice.leg.id);
  }
  const own = (await db.selectFrom('ticket_legs').selectAll().where('hall_id', '=', hall.hallId).where('business_day', '=', today).where('window_number', '=', number).execute()).map(legOfRow);
  const count = (state: StoredLeg['state']) => own.filter((l) => l.state === state).length;
  const current = own.find((l) => l.id === stored.status.legId);
  return {
    window: windowView(stored.window, stored.status),
    current: current ? legView(current) : null,
    waiting: waiting.map(legView),
    suspended: own.filter((l) => l.state === 'suspended').map(legView),
    today: { called: own.filter((l) => l.firstCalledAt !== null).length, served: count('done'), noShows: count('no-show'), transferred: count('transferred') },
  };
}
