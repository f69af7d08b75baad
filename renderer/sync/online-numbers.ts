import type { PriorityClass } from '../../core/ticket/ticket.ts';
import { nextNumberResponseSchema } from '../../core/numbering/numbers.ts';
import { closedReasonOfCode, type ServiceClosed } from '../../core/calendar/hall-calendar.ts';
import type { OnlineNumber, OnlineNumberSource } from '../db/ticket-issuer.ts';
import type { ServerLink } from './server-link.ts';
import { errorOf } from './server-link.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';

/** A citizen is waiting at the screen: past this the kiosk issues from its leased reserve instead. */
export const onlineNumberTimeoutMs = 1_500;

/** Online numbering: the server hands out the next number of a service for the hall's today. */
export class OnlineNumbers implements OnlineNumberSource {
  constructor(
    private readonly link: ServerLink,
    private readonly timeoutMs = onlineNumberTimeoutMs,
  ) {}

  async next(serviceId: string, priority: PriorityClass): Promise<OnlineNumber> {
    const reply = await this.link.send({ ...serverRequestOf(hallApi.numbersNext, { body: { serviceId, priority } }), timeoutMs: this.timeoutMs });
    if (reply.status === 200) {
      const parsed = nextNumberResponseSchema.safeParse('body' in reply ? reply.body : null);
      if (parsed.success && parsed.data.serviceId === serviceId) {
        return { kind: 'number', sequence: parsed.data.sequence, label: parsed.data.label, businessDay: parsed.data.businessDay };
      }
      return { kind: 'unavailable' };
    }
    const error = reply.status === 409 && 'body' in reply ? errorOf(reply.body) : null;
    if (error?.code === 'quota-reached') return { kind: 'quota-reached' };
    const fallback = error ? closedReasonOfCode(error.code) : null;
    if (error && fallback) {
      const closed: ServiceClosed = { open: false, reason: error.reason ?? fallback, nextOpening: error.nextOpening ?? null };
      return { kind: 'closed', closed: error.holiday ? { ...closed, holiday: error.holiday } : closed };
    }
    return { kind: 'unavailable' };
  }
}
