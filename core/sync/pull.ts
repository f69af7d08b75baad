import { z } from 'zod';
import { openSpotCheckSchema } from '../attendance/checkin.ts';
import { rosterPullSchema } from '../attendance/roster.ts';
import { catalogSchema } from '../catalog/catalog.ts';
import { hallRulesSchema } from '../calendar/calendar-rules.ts';
import { serviceGuidesSchema } from '../guide/service-guide.ts';
import { businessDaySchema } from './events.ts';
import { hallPublicAddressSchema } from '../ticket/live-ticket.ts';
import { dayCountSchema, numberLeaseSchema } from '../numbering/numbers.ts';

export const pullQuerySchema = z.object({
  /** exactly as the previous pull returned it; absent on the first pull */
  cursor: z.string().min(1).max(1024).optional(),
  /** the roster position, exactly as the previous pull's `staff.cursor` gave it; absent: the whole roster */
  staffCursor: z.string().min(1).max(1024).optional(),
  /**
   * 'page': the kiosk's page pulls, and its privileged side pulls the roster and the hall rules
   * itself (core/sync/privileged-pull.ts): the answer leaves out `staff` and `hallRules`. Absent
   * (kiosks from before that split): they come with this pull, as before.
   */
  for: z.literal('page').optional(),
});

export const hallSettingsSchema = z.object({
  hallName: z.string().min(1).max(60),
  timeZone: z.string().min(1),
  version: z.int().nonnegative(),
  /**
   * Where citizens' phones reach the hall server (core/ticket/live-ticket.ts): the ticket's QR
   * opens the live ticket there. Null: not set, and tickets print no QR. Absent from older servers.
   */
  publicAddress: hallPublicAddressSchema.nullable().optional(),
});
export type HallSettings = z.infer<typeof hallSettingsSchema>;

export const pullResponseSchema = z.object({
  serverTime: z.int(),
  epoch: z.string(),
  /**
   * True when the server's history is not the one the cursor came from (restored from a backup,
   * or a new epoch): the response carries the full state, not changes, and the kiosk must compare
   * `lastAppliedSeq` with what it saw acknowledged and re-send every event after it.
   */
  reset: z.boolean(),
  lastAppliedSeq: z.int().nonnegative(),
  /** the hall's today, by the server's clock and the hall's time zone */
  businessDay: businessDaySchema,
  /** null when unchanged since the cursor (or when no catalog was ever imported) */
  catalog: catalogSchema.nullable(),
  /**
   * The service guides of the catalog version in `catalog`, sent together with it: when not null,
   * they replace every guide the kiosk holds. Null when `catalog` is null, or when that version was
   * published without guides (the kiosk then keeps what it has). Absent from servers older than
   * guides.
   */
  guides: serviceGuidesSchema.nullable().optional(),
  settings: hallSettingsSchema.nullable(),
  /**
   * The hall calendar (hours, issue windows, quotas, holidays, 24-hour services) when it changed
   * since the cursor; null when unchanged or never saved (the kiosk keeps its bundled rules).
   * Absent from servers older than calendars.
   */
  hallRules: hallRulesSchema.nullable().optional(),
  /** every lease this device holds for today and later; the kiosk merges them by id */
  leases: z.array(numberLeaseSchema),
  /**
   * Today's tickets of every service of the catalog, counted by the hall server across all kiosks
   * (the figure its /next refuses by). Absent from servers older than the count.
   */
  dayCounts: z.array(dayCountSchema).optional(),
  /** the staff roster and which fingerprint templates exist; absent from servers without staff support */
  staff: rosterPullSchema.optional(),
  /** spot checks (抽查) open now: the kiosk offers spot-check mode while one is listed */
  spotChecks: z.array(openSpotCheckSchema).optional(),
  /** opaque: pass it back unchanged on the next pull */
  cursor: z.string(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
