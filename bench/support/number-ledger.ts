// Every number the simulated kiosks were given, in typed arrays: a few hundred thousand answers
// kept as objects would keep the load generator's garbage collector busy, and its pauses would be
// counted as the server's latency.
import type { NextNumberResponse } from '../../core/numbering/numbers.ts';
import type { PriorityClass } from '../../core/ticket/ticket.ts';
import { priorityClasses } from '../../core/ticket/ticket.ts';

export interface LedgerEntry {
  kiosk: number;
  serviceId: string;
  businessDay: string;
  sequence: number;
  label: string;
  priority: PriorityClass;
  serverTime: number;
}

export class NumberLedger {
  length = 0;
  private kiosk = new Uint16Array(1 << 16);
  private service = new Uint8Array(1 << 16);
  private day = new Uint16Array(1 << 16);
  private sequence = new Uint32Array(1 << 16);
  private priority = new Uint8Array(1 << 16);
  private serverTime = new Float64Array(1 << 16);
  private readonly labels: string[] = [];
  private readonly days: string[] = [];
  private readonly dayIndex = new Map<string, number>();
  private readonly serviceIndex: Map<string, number>;

  constructor(private readonly services: readonly { id: string; prefix: string }[]) {
    this.serviceIndex = new Map(services.map((s, i) => [s.id, i]));
  }

  add(kiosk: number, answer: NextNumberResponse): void {
    if (this.length === this.sequence.length) this.grow();
    const i = this.length++;
    let day = this.dayIndex.get(answer.businessDay);
    if (day === undefined) {
      this.dayIndex.set(answer.businessDay, (day = this.days.length));
      this.days.push(answer.businessDay);
    }
    const service = this.serviceIndex.get(answer.serviceId);
    if (service === undefined) throw new Error(`the server answered with unknown service ${answer.serviceId}`);
    if (answer.sequence >= 2 ** 20) throw new Error(`sequence ${answer.sequence} is beyond what a ticket can carry`);
    this.kiosk[i] = kiosk;
    this.service[i] = service;
    this.day[i] = day;
    this.sequence[i] = answer.sequence;
    this.priority[i] = priorityClasses.indexOf(answer.priority);
    this.serverTime[i] = answer.serverTime;
    // A label is derived from prefix and sequence; kept only if the server's ever differs.
    if (answer.label !== `${this.services[service]!.prefix}${String(answer.sequence).padStart(3, '0')}`) this.labels[i] = answer.label;
  }

  at(i: number): LedgerEntry {
    const service = this.services[this.service[i]!]!;
    const sequence = this.sequence[i]!;
    return {
      kiosk: this.kiosk[i]!,
      serviceId: service.id,
      businessDay: this.days[this.day[i]!]!,
      sequence,
      label: this.labels[i] ?? `${service.prefix}${String(sequence).padStart(3, '0')}`,
      priority: priorityClasses[this.priority[i]!]!,
      serverTime: this.serverTime[i]!,
    };
  }

  /** Numbers given out more than once: the same (service, business day, sequence). */
  duplicates(): number {
    const keys = new Float64Array(this.length);
    // Exact in a double: day and service below 2^24, sequence below 2^20 (the wire allows 99,999).
    for (let i = 0; i < this.length; i++) keys[i] = (this.day[i]! * 256 + this.service[i]!) * 2 ** 20 + this.sequence[i]!;
    keys.sort();
    let duplicates = 0;
    for (let i = 1; i < keys.length; i++) if (keys[i] === keys[i - 1]) duplicates++;
    return duplicates;
  }

  /** Per (service, business day): how many numbers were given out, and the highest. */
  counters(): Map<string, { serviceId: string; businessDay: string; count: number; max: number }> {
    const out = new Map<string, { serviceId: string; businessDay: string; count: number; max: number }>();
    for (let i = 0; i < this.length; i++) {
      const serviceId = this.services[this.service[i]!]!.id;
      const businessDay = this.days[this.day[i]!]!;
      const key = `${serviceId}\u0000${businessDay}`;
      const entry = out.get(key) ?? { serviceId, businessDay, count: 0, max: 0 };
      entry.count++;
      entry.max = Math.max(entry.max, this.sequence[i]!);
      out.set(key, entry);
    }
    return out;
  }

  /** The entries of each kiosk, by index, in the order they were given out. */
  byKiosk(kiosks: number): number[][] {
    const out = Array.from({ length: kiosks }, () => [] as number[]);
    for (let i = 0; i < this.length; i++) out[this.kiosk[i]!]!.push(i);
    return out;
  }

  private grow(): void {
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(array: T, make: (n: number) => T): T => {
      const next = make(array.length * 2);
      next.set(array);
      return next;
    };
    this.kiosk = grown(this.kiosk, (n) => new Uint16Array(n));
    this.service = grown(this.service, (n) => new Uint8Array(n));
    this.day = grown(this.day, (n) => new Uint16Array(n));
    this.sequence = grown(this.sequence, (n) => new Uint32Array(n));
    this.priority = grown(this.priority, (n) => new Uint8Array(n));
    this.serverTime = grown(this.serverTime, (n) => new Float64Array(n));
  }
}
