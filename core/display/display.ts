import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';
import type { CallEventData, HallEvent } from '../queue/hall-events.ts';
import { hallEventSchema } from '../queue/hall-events.ts';
import { windowStateSchema } from '../queue/window.ts';
import type { Announcement } from '../voice/announcement.ts';

/**
 * The hall's screens (综合屏 and 窗口屏, issue 16): what a display is, what it reads, and the rule
 * of what it announces. A display is a device of its own role: it reads the calls, windows and
 * waiting counts of its zone and nothing else.
 */

export const displayKinds = ['hall', 'window'] as const;
export const displayKindSchema = z.enum(displayKinds);
export type DisplayKind = z.infer<typeof displayKindSchema>;

const id = z.string().min(1).max(64);

/** A display as the hall office sets it up. `zone`: the departments (floors) it shows; empty: the whole hall. */
export const newDisplaySchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    kind: displayKindSchema,
    /** a 窗口屏's window */
    window: z.int().min(1).max(9999).nullable().default(null),
    zone: z.array(id).max(100).default([]),
  })
  .refine((d) => (d.kind === 'window') === (d.window !== null), { message: 'a window display names its window; a hall display names none', path: ['window'] });
export type NewDisplay = z.infer<typeof newDisplaySchema>;

export const displayIdentitySchema = z.object({
  displayId: z.string(),
  name: z.string(),
  kind: displayKindSchema,
  window: z.int().positive().nullable(),
  zone: z.array(z.string()),
});
export type DisplayIdentity = z.infer<typeof displayIdentitySchema>;

export const displayEnrollSchema = z.object({ code: z.string().trim().min(1).max(40) });

export const displaySummarySchema = displayIdentitySchema.extend({
  enrolled: z.boolean(),
  revoked: z.boolean(),
  /** a stream of this display is open right now (on this server process) */
  live: z.boolean(),
  lastSeenAt: z.int().nullable(),
});
export type DisplaySummary = z.infer<typeof displaySummarySchema>;

export const newDisplayAnswerSchema = z.object({ displayId: z.string(), enrollmentCode: z.string(), expiresAt: z.int() });

export const displayNoticeSchema = z.object({ text: z.string().trim().max(200) });

export const displayWindowSchema = z.object({
  number: z.int().positive(),
  name: z.string(),
  department: localizedTextSchema,
  state: windowStateSchema,
  pauseReason: localizedTextSchema.nullable(),
  /** the staff member signed in: name and 工号 */
  staff: z.object({ name: z.string(), staffId: z.string() }).nullable(),
  /** the number called or being served */
  label: z.string().nullable(),
});
export type DisplayWindow = z.infer<typeof displayWindowSchema>;

export const displayQueueSchema = z.object({ serviceId: z.string(), name: localizedTextSchema, departmentId: z.string(), waiting: z.int().nonnegative() });
export type DisplayQueue = z.infer<typeof displayQueueSchema>;

/** What a display shows at once when it (re)connects; the stream carries on from `lastEventId`. */
export const displayStateSchema = z.object({
  display: displayIdentitySchema,
  hallName: z.string(),
  notice: z.string(),
  lastEventId: z.int().nonnegative(),
  windows: z.array(displayWindowSchema),
  queues: z.array(displayQueueSchema),
  /** today's latest calls of the zone, newest last */
  recentCalls: z.array(hallEventSchema),
});
export type DisplayState = z.infer<typeof displayStateSchema>;

/** How many calls the hall screen lists under the latest one. */
export const recentCallsShown = 8;
/** A call missed while away is still announced this long after it was made. */
export const missedCallAnnounceMs = 30_000;

/** What the display says for one call; the voice engine (core/voice) turns it into speech. */
/** One call to announce: the voice's own type (core/voice/announcement.ts), so a display hands its speaker exactly what it says. */
export type { Announcement };

export function announcementOf(event: { id: number; data: CallEventData }): Announcement {
  return {
    callId: String(event.id),
    ticketLabel: event.data.label,
    windowNumber: event.data.window,
    windowName: event.data.windowName || undefined,
    recall: event.data.call === 'recall',
  };
}

/**
 * Whether a call the display receives is announced: made within the last 30 s by the server's
 * clock. A live call arrives within that by far; one replayed after a reconnect (or found on
 * loading) older than that would send a citizen to a window that has moved on. `serverNow` is the
 * display's estimate of the server's clock.
 */
export function shouldAnnounce(event: HallEvent, serverNow: number): boolean {
  return event.kind === 'call' && serverNow - event.at <= missedCallAnnounceMs;
}
