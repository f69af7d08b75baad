import type { BusinessDay } from '../calendar/business-day.ts';

/**
 * A block of numbers a kiosk may issue for one service on one business day. Offline the kiosk
 * issues only from reserves, so two kiosks can never hand out the same number; gaps are fine.
 */
export interface NumberReserve {
  id: string;
  serviceId: string;
  businessDay: BusinessDay;
  /** next number to hand out */
  next: number;
  /** last number (inclusive) this reserve may hand out */
  last: number;
}

export type NumberTake =
  | { ok: true; sequence: number; reserve: NumberReserve }
  | { ok: false; reason: 'quota-reached' | 'reserve-exhausted' };

/** Take the next number from a reserve, refusing anything past the daily quota (限号). */
export function takeNumber(reserve: NumberReserve, dailyQuota: number): NumberTake {
  if (reserve.next > dailyQuota) return { ok: false, reason: 'quota-reached' };
  if (reserve.next > reserve.last) return { ok: false, reason: 'reserve-exhausted' };
  return { ok: true, sequence: reserve.next, reserve: { ...reserve, next: reserve.next + 1 } };
}
