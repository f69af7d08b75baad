import { checkinAnswerSchema, type CheckinRecord } from '../../core/attendance/checkin.ts';
import { serverRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { ServerLink } from './server-link.ts';

/** Staff wait at the reader: past this the kiosk records its own guess, and the server corrects it when the record arrives. */
export const onlineCheckinTimeoutMs = 1_500;

export type OnlineCheckin =
  /** stored by the server, with its kind and session */
  | { kind: 'recorded'; checkin: CheckinRecord }
  /** the touch repeats this earlier check-in, perhaps made at another kiosk: nothing was stored */
  | { kind: 'repeat'; checkin: CheckinRecord }
  /** no answer in time, or none the kiosk can use */
  | { kind: 'unavailable' };

export interface OnlineCheckinSource {
  record(checkin: CheckinRecord): Promise<OnlineCheckin>;
}

/**
 * Online check-ins: the hall server holds every kiosk's check-ins and each person's schedule, so
 * while it is reachable it decides sign-in or sign-out (core/attendance/checkin-decision.ts).
 */
export class OnlineCheckins implements OnlineCheckinSource {
  constructor(
    private readonly link: ServerLink,
    private readonly timeoutMs = onlineCheckinTimeoutMs,
  ) {}

  async record(checkin: CheckinRecord): Promise<OnlineCheckin> {
    const reply = await this.link.send({ ...serverRequestOf(hallApi.attendanceCheckin, { body: { checkin } }), timeoutMs: this.timeoutMs });
    if (reply.status !== 200 || !('body' in reply)) return { kind: 'unavailable' };
    const parsed = checkinAnswerSchema.safeParse(reply.body);
    if (!parsed.success) return { kind: 'unavailable' };
    const answer = parsed.data;
    // An answer about another record or person is no answer to this touch.
    if (answer.checkin.staffId !== checkin.staffId || (answer.outcome === 'recorded' && answer.checkin.id !== checkin.id)) return { kind: 'unavailable' };
    return { kind: answer.outcome, checkin: answer.checkin };
  }
}
