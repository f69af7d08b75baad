import type { Kysely } from 'kysely';
import type { CallingSettings } from '../../core/queue/calling-settings.ts';
import { callingSettingsSchema, defaultCallingSettings } from '../../core/queue/calling-settings.ts';
import type { Database } from '../db/schema.ts';

export class CallingSettingsError extends Error {
  override readonly name = 'CallingSettingsError';
}

/** The hall's calling rules; the defaults until an admin saves some. */
export async function readCallingSettings(db: Kysely<Database>, hallId: string): Promise<CallingSettings> {
  const row = await db.selectFrom('calling_settings').select('settings_json').where('hall_id', '=', hallId).executeTakeFirst();
  if (!row) return defaultCallingSettings;
  // Saved through saveCallingSettings, so valid; parsing again fills defaults a newer server added.
  const parsed = callingSettingsSchema.safeParse(JSON.parse(row.settings_json));
  return parsed.success ? parsed.data : defaultCallingSettings;
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
