import type { Kysely } from 'kysely';
import type { CallingSettings } from '../../core/queue/calling-settings.ts';
import { callingSettingsSchema, defaultCallingSettings } from '../../core/queue/calling-settings.ts';
import type { Database } from '../db/schema.ts';

export class CallingSettingsError extends Error {
  override readonly name = 'CallingSettingsError';
}

function parsedSettings(json: string | null): CallingSettings {
  if (json === null) return defaultCallingSettings;
  // Saved through saveCallingSettings, so valid; parsing again fills defaults a newer server added.
  const parsed = callingSettingsSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : defaultCallingSettings;
}

/** The hall, its time zone and its calling rules in one read: what every press starts with. */
export async function readHallForCalling(db: Kysely<Database>): Promise<{ hallId: string; timeZone: string; settings: CallingSettings }> {
  const row = await db
    .selectFrom('hall_settings')
    .leftJoin('calling_settings', 'calling_settings.hall_id', 'hall_settings.hall_id')
    .select(['hall_settings.hall_id', 'hall_settings.time_zone', 'calling_settings.settings_json'])
    .where('hall_settings.id', '=', 1)
    .executeTakeFirstOrThrow();
  return { hallId: row.hall_id, timeZone: row.time_zone, settings: parsedSettings(row.settings_json) };
}

/** The hall's calling rules; the defaults until an admin saves some. */
export async function readCallingSettings(db: Kysely<Database>, hallId: string): Promise<CallingSettings> {
  const row = await db.selectFrom('calling_settings').select('settings_json').where('hall_id', '=', hallId).executeTakeFirst();
  return parsedSettings(row?.settings_json ?? null);
}

/** Checks `raw` whole and saves it; every field left out takes its default. */
export async function saveCallingSettings(db: Kysely<Database>, hallId: string, raw: unknown, now: number): Promise<CallingSettings> {
  const parsed = callingSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CallingSettingsError(`calling settings: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const settings_json = JSON.stringify(parsed.data);
  await db
    .insertInto('calling_settings')
    .values({ hall_id: hallId, settings_json, updated_at: now })
    .onConflict((oc) => oc.column('hall_id').doUpdateSet({ settings_json, updated_at: now }))
    .execute();
  return parsed.data;
}
