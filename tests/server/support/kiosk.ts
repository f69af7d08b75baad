import { v7 as uuidv7 } from 'uuid';
import type { CheckinRecord } from '../../../core/attendance/checkin.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import type { SyncEvent } from '../../../core/sync/events.ts';
import type { PriorityClass, Ticket } from '../../../core/ticket/ticket.ts';
import { ticketLabel } from '../../../core/ticket/ticket.ts';
import { api } from './http.ts';
import type { NumberGrants } from './number-grants.ts';
import type { ApiResponse } from './http.ts';

export interface KioskClock {
  /** true time; the server's test clock when the test controls time */
  trueNow?: () => number;
  /** device clock minus true time: a kiosk whose clock is fast has a positive skew */
  skewMs?: number;
}

/**
 * A scripted kiosk: keeps its own outbox of wire events with seq 1, 2, 3… and talks to the server
 * the way the renderer's sync engine will. Device time is the test's to choose.
 */
export class TestKiosk {
  readonly outbox: SyncEvent[] = [];
  cursor: string | undefined;
  private seq = 0;
  private readonly granted = new Set<string>();

  constructor(
    public baseUrl: string,
    readonly deviceId: string,
    readonly token: string,
    private readonly clock: KioskClock = {},
    /** given: the numbers of the tickets it pushes are made its own first (number-grants.ts); absent: it must lease or ask /next */
    private readonly grants?: NumberGrants,
  ) {}

  static async enroll(baseUrl: string, code: string, clock: KioskClock = {}, grants?: NumberGrants): Promise<TestKiosk> {
    const response = await api(baseUrl, hallApi.devicesEnroll.method, pathOf(hallApi.devicesEnroll), { body: { code, version: 'test-1.0' } });
    if (response.status !== 200) throw new Error(`enroll failed: ${response.status} ${JSON.stringify(response.body)}`);
    return new TestKiosk(baseUrl, response.body.deviceId, response.body.token, clock, grants);
  }

  /** this kiosk's own clock, skewed from true time as the test set it */
  deviceNow(): number {
    return (this.clock.trueNow ?? Date.now)() + (this.clock.skewMs ?? 0);
  }

  private record(type: string, payload: unknown, at: number, clockOffsetMs?: number): SyncEvent {
    const event: SyncEvent = { seq: ++this.seq, id: uuidv7({ msecs: at }), type, at, ...(clockOffsetMs === undefined ? {} : { clockOffsetMs }), payload };
    this.outbox.push(event);
    return event;
  }

  issue(options: {
    serviceId: string;
    prefix: string;
    sequence: number;
    /** device clock */
    issuedAt: number;
    priority?: PriorityClass;
    departmentId?: string;
    businessDay?: string;
    /** the kiosk's own offset estimate, sent with the event */
    clockOffsetMs?: number;
    /** the live ticket's token (core/ticket/live-ticket.ts) and the citizen's language */
    liveToken?: string;
    language?: 'zh' | 'en';
  }): Ticket {
    const ticket: Ticket = {
      id: uuidv7({ msecs: options.issuedAt }),
      kioskId: `kiosk-${this.deviceId.slice(0, 8)}`,
      serviceId: options.serviceId,
      departmentId: options.departmentId ?? 'market',
      businessDay: options.businessDay ?? '2026-03-02',
      sequence: options.sequence,
      label: ticketLabel(options.prefix, options.sequence),
      priority: options.priority ?? 'normal',
      issuedAt: options.issuedAt,
      state: 'printing',
      printAttempts: 0,
      ...(options.liveToken === undefined ? {} : { liveToken: options.liveToken }),
      ...(options.language === undefined ? {} : { language: options.language }),
    };
    this.record('ticket.issued', { ticket }, options.issuedAt, options.clockOffsetMs);
    return ticket;
  }

  printed(ticket: Ticket, at: number): void {
    this.record('ticket.printed', { ticketId: ticket.id, printAttempts: 1 }, at);
  }

  custom(type: string, payload: unknown, at: number): SyncEvent {
    return this.record(type, payload, at);
  }

  async push(events: SyncEvent[] = this.outbox, extra: Record<string, unknown> = {}): Promise<ApiResponse> {
    if (this.grants) {
      const tickets = events.flatMap((e) => {
        const ticket = e.type === 'ticket.issued' ? (e.payload as { ticket?: Ticket } | null)?.ticket : undefined;
        return ticket && typeof ticket.id === 'string' && typeof ticket.sequence === 'number' && !this.granted.has(ticket.id) ? [ticket] : [];
      });
      await this.grants(this.deviceId, tickets);
      for (const t of tickets) this.granted.add(t.id);
    }
    return api(this.baseUrl, hallApi.syncPush.method, pathOf(hallApi.syncPush), { token: this.token, body: { sentAt: this.deviceNow(), events, ...extra } });
  }

  async pull(cursor = this.cursor): Promise<ApiResponse> {
    const response = await api(this.baseUrl, hallApi.syncPull.method, pathOf(hallApi.syncPull, { query: { cursor: cursor || undefined } }), { token: this.token });
    if (response.status === 200) this.cursor = response.body.cursor;
    return response;
  }

  next(serviceId: string, priority: PriorityClass = 'normal'): Promise<ApiResponse> {
    return api(this.baseUrl, hallApi.numbersNext.method, pathOf(hallApi.numbersNext), { token: this.token, body: { serviceId, priority } });
  }

  /** A staff check-in as it happens, for the server to decide (core/attendance/checkin.ts). */
  checkIn(checkin: CheckinRecord): Promise<ApiResponse> {
    return api(this.baseUrl, 'POST', '/api/v1/attendance/checkins', { token: this.token, body: { checkin } });
  }

  lease(serviceId: string, day: string, count: number): Promise<ApiResponse> {
    return api(this.baseUrl, hallApi.numbersLease.method, pathOf(hallApi.numbersLease), { token: this.token, body: { serviceId, day, count } });
  }
}
