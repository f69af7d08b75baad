import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';
import type { LocalizedText } from '../text/localized.ts';

/**
 * A reason a window may pause (暂停) so it receives no calls. The hall registers outings (外出送件)
 * like any other reason; the code is what the server records, the name what the counter shows.
 */
export const pauseReasonSchema = z.object({
  code: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a pause reason code is lower-case letters, digits and dashes'),
  name: localizedTextSchema,
});
export type PauseReason = z.infer<typeof pauseReasonSchema>;

export const defaultPauseReasons: PauseReason[] = [
  { code: 'away', name: { zh: '暂离', en: 'Away briefly' } },
  { code: 'meeting', name: { zh: '会议', en: 'In a meeting' } },
  { code: 'outing', name: { zh: '外出送件', en: 'Out delivering documents' } },
  { code: 'other', name: { zh: '其他', en: 'Other' } },
];

/** How 预计等候 is measured: the last `maxSamples` services finished within `bandMinutes` before now. */
export const waitEstimateSettingsSchema = z.object({
  bandMinutes: z.int().min(10).max(240).default(60),
  /** fewer measured services today in the band than this, and the kiosk says nothing */
  minSamples: z.int().min(1).max(100).default(5),
  maxSamples: z.int().min(1).max(500).default(20),
}).refine((s) => s.maxSamples >= s.minSamples, { message: 'maxSamples must be at least minSamples' });
export type WaitEstimateSettings = z.infer<typeof waitEstimateSettingsSchema>;

/** The hall's rules for calling at its windows (叫号). Every field has a default a hall can start with. */
export const callingSettingsSchema = z.object({
  /**
   * 过号 needs at least this many calls of the ticket *and* `noShowAfterSeconds` since the first
   * call (novosga#349). Never fewer than 2: a citizen must never lose their turn to one press.
   */
  noShowAfterCalls: z.int().min(2).max(10).default(2),
  noShowAfterSeconds: z.int().min(0).max(3600).default(60),
  /** 重呼 is refused until this long after the last call, so a held key does not spam the hall's voice */
  recallCooldownSeconds: z.int().min(0).max(600).default(10),
  /** at most this many priority (特殊人群) calls in a row at a window while a normal ticket waits */
  maxPriorityInRow: z.int().min(1).max(20).default(2),
  /** a ticket waiting this long is called before any rule of priority or work profile */
  longWaitMinutes: z.int().min(1).max(24 * 60).default(60),
  /** 过号重排 puts a ticket back this many places */
  recycleBackPlaces: z.int().min(1).max(50).default(3),
  /** how many times the hall's voice announces each call */
  announcementRepeats: z.int().min(1).max(5).default(2),
  pauseReasons: z.array(pauseReasonSchema).min(1).max(20).default(defaultPauseReasons)
    .refine((rs) => new Set(rs.map((r) => r.code)).size === rs.length, { message: 'pause reason codes must be unique' }),
  waitEstimate: waitEstimateSettingsSchema.default({ bandMinutes: 60, minSamples: 5, maxSamples: 20 }),
});
export type CallingSettings = z.infer<typeof callingSettingsSchema>;

export const defaultCallingSettings: CallingSettings = callingSettingsSchema.parse({});

/** The hall's name for a pause reason; null when the hall does not list it. */
export function pauseReasonName(settings: Pick<CallingSettings, 'pauseReasons'>, code: string): LocalizedText | null {
  return settings.pauseReasons.find((r) => r.code === code)?.name ?? null;
}
