import { waitingLeg } from '../../../core/queue/leg.ts';
import type { Leg } from '../../../core/queue/leg.ts';
import type { PriorityClass } from '../../../core/ticket/ticket.ts';

export const today = '2026-03-02';
/** 2026-03-02 09:00 in Asia/Shanghai */
export const opening = Date.UTC(2026, 2, 2, 1, 0, 0);
export const second = 1000;
export const minute = 60_000;

export interface LegSpec {
  ticketId: string;
  /** ms after opening */
  at?: number;
  serviceId?: string;
  priority?: PriorityClass;
  label?: string;
  pinnedWindow?: number | null;
  businessDay?: string;
}

/** A waiting leg of an issued ticket; the leg id is derived from the ticket id. */
export function leg(s: LegSpec, overrides: Partial<Leg> = {}): Leg {
  return {
    ...waitingLeg({
      id: `leg-${s.ticketId}`,
      ticketId: s.ticketId,
      label: s.label ?? s.ticketId.toUpperCase(),
      serviceId: s.serviceId ?? 'svc-a',
      priority: s.priority ?? 'normal',
      businessDay: s.businessDay ?? today,
      issuedAt: opening + (s.at ?? 0),
      pinnedWindow: s.pinnedWindow ?? null,
    }),
    ...overrides,
  };
}

/** mulberry32: a small seeded generator, so every random queue can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

export function shuffled<T>(random: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** A UUIDv7-shaped id whose time part is `ms` and whose random part comes from `random`. */
export function uuidv7At(ms: number, random: () => number): string {
  const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0');
  const t = hex(ms, 12);
  const r = () => hex(random() * 0x10000, 4);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r().slice(1)}-${(8 + Math.floor(random() * 4)).toString(16)}${r().slice(1)}-${r()}${r()}${r()}`;
}
