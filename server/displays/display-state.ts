import type { Kysely } from 'kysely';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { DisplayIdentity, DisplayQueue, DisplayState, DisplayWindow } from '../../core/display/display.ts';
import { recentCallsShown } from '../../core/display/display.ts';
import { pauseReasonName } from '../../core/queue/calling-settings.ts';
import type { HallEvent } from '../../core/queue/hall-events.ts';
import { readCallingSettings } from '../calling/calling-settings-store.ts';
import { readHallState } from '../hall/hall-settings.ts';
import type { CatalogStore } from '../catalog/catalog-store.ts';
import type { Database } from '../db/schema.ts';
import { readHallEventHead } from '../events/hall-event-log.ts';
import { readDisplayNotice } from './displays.ts';

const inZone = (zone: readonly string[], department: string | null) => zone.length === 0 || (department !== null && zone.includes(department));

/**
 * What a display shows the moment it (re)connects, read after the event log's head so that the
 * stream from `lastEventId` on can only add to it: an event may be both in the snapshot and
 * replayed (applying it twice changes nothing), never in neither.
 */
export async function readDisplayState(db: Kysely<Database>, catalogs: CatalogStore, display: DisplayIdentity, now: number): Promise<DisplayState> {
  const hall = await readHallState(db);
  const settings = await readCallingSettings(db, hall.hallId);
  const head = await readHallEventHead(db, hall.hallId);
  const catalog = (await catalogs.latest())?.catalog ?? null;
  const departmentName = (id: string) => catalog?.departments.find((d) => d.id === id)?.name ?? { zh: id, en: id };
  const day = businessDayOf(now, hall.timeZone);

  let windowQuery = db.selectFrom('counter_windows').selectAll().where('hall_id', '=', hall.hallId).orderBy('number');
  if (display.window !== null) windowQuery = windowQuery.where('number', '=', display.window);
  const windowRows = (await windowQuery.execute()).filter((w) => inZone(display.zone, w.department_id));
  const staffIds = [...new Set(windowRows.map((w) => w.staff_id).filter((s): s is string => s !== null))];
  const staff = staffIds.length ? await db.selectFrom('staff').select(['id', 'name']).where('id', 'in', staffIds).execute() : [];
  const legIds = windowRows.map((w) => w.leg_id).filter((l): l is string => l !== null);
  const legs = legIds.length ? await db.selectFrom('ticket_legs').select(['id', 'label']).where('id', 'in', legIds).execute() : [];
  const windows: DisplayWindow[] = windowRows.map((w) => {
    const member = w.staff_id === null ? null : staff.find((s) => s.id === w.staff_id);
    return {
      number: w.number,
      name: w.name,
      department: departmentName(w.department_id),
      state: w.state as DisplayWindow['state'],
      pauseReason: w.pause_reason === null ? null : (pauseReasonName(settings, w.pause_reason) ?? { zh: w.pause_reason, en: w.pause_reason }),
      staff: w.staff_id === null ? null : { staffId: w.staff_id, name: member?.name ?? '' },
      label: w.leg_id === null ? null : (legs.find((l) => l.id === w.leg_id)?.label ?? null),
    };
  });

  const counts = await db
    .selectFrom('ticket_legs')
    .select((eb) => ['service_id', 'department_id', eb.fn.countAll<number>().as('n')])
    .where('hall_id', '=', hall.hallId)
    .where('business_day', '=', day)
    .where('state', '=', 'waiting')
    .groupBy(['service_id', 'department_id'])
    .execute();
  const queues: DisplayQueue[] = (catalog?.services ?? [])
    .filter((s) => inZone(display.zone, s.departmentId))
    .map((s) => ({ serviceId: s.id, name: s.name, departmentId: s.departmentId, waiting: Number(counts.find((c) => c.service_id === s.id)?.n ?? 0) }));

  let callQuery = db
    .selectFrom('hall_events')
    .select(['id', 'kind', 'at', 'department_id', 'data_json'])
    .where('hall_id', '=', hall.hallId)
    .where('kind', '=', 'call')
    .where('business_day', '=', day)
    .where('id', '<=', head.lastId)
    .orderBy('id', 'desc')
    .limit(display.kind === 'window' ? 1 : recentCallsShown + 1);
  if (display.zone.length) callQuery = callQuery.where('department_id', 'in', display.zone);
  const callRows = await callQuery.execute();
  const recentCalls = callRows
    .reverse()
    .map((r) => ({ id: Number(r.id), kind: r.kind, at: Number(r.at), department: r.department_id, data: JSON.parse(r.data_json) }) as HallEvent)
    .filter((e) => e.kind === 'call' && (display.window === null || e.data.window === display.window));

  return { display, hallName: hall.hallName, notice: await readDisplayNotice(db, hall.hallId), lastEventId: head.lastId, windows, queues, recentCalls };
}
