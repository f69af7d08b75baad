import { z } from 'zod';

/** Text the kiosk shows in both of its languages; Chinese is the primary one. */
export const localizedTextSchema = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const languages = ['zh', 'en'] as const;
export type Language = (typeof languages)[number];
