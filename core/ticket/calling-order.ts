import { z } from 'zod';
import { priorityClassSchema } from './ticket.ts';
import { businessDaySchema } from '../sync/events.ts';

/**
 * The calling order of one service today: priority classes (特殊人群) first, then by issue time
 * corrected for each kiosk's clock offset. Never by label: offline reserves make labels jump.
 */
export const queueEntrySchema = z.object({
  ticketId: z.string(),
  label: z.string(),
  priority: priorityClassSchema,
  correctedIssuedAt: z.int(),
});
export type QueueEntry = z.infer<typeof queueEntrySchema>;

export const queueResponseSchema = z.object({
  serviceId: z.string(),
  businessDay: businessDaySchema,
  waiting: z.array(queueEntrySchema),
  serverTime: z.int(),
});
export type QueueResponse = z.infer<typeof queueResponseSchema>;
