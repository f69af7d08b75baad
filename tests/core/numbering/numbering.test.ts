import { describe, expect, it } from 'vitest';
import { takeNumber, type NumberReserve } from '../../../core/numbering/number-reserve.ts';
import { countsAsIssued, isPriority, priorityClasses, ticketLabel } from '../../../core/ticket/ticket.ts';

const reserve = (next: number, last: number): NumberReserve => ({ id: 'r', serviceId: 's', businessDay: '2026-11-25', next, last });

describe('numbering', () => {
  it('labels with the service prefix and three digits', () => {
    expect(ticketLabel('A', 1)).toBe('A001');
    expect(ticketLabel('K', 42)).toBe('K042');
    expect(ticketLabel('AB', 1000)).toBe('AB1000');
  });

  it('hands out numbers in order and advances the reserve', () => {
    const first = takeNumber(reserve(1, 10), 100);
    expect(first).toMatchObject({ ok: true, sequence: 1 });
    if (!first.ok) throw new Error('unreachable');
    const second = takeNumber(first.reserve, 100);
    expect(second).toMatchObject({ ok: true, sequence: 2 });
  });

  it('stops at the daily quota (限号)', () => {
    expect(takeNumber(reserve(3, 10), 2)).toEqual({ ok: false, reason: 'quota-reached' });
    expect(takeNumber(reserve(2, 10), 2)).toMatchObject({ ok: true, sequence: 2 });
  });

  it('never goes past the end of its reserve', () => {
    expect(takeNumber(reserve(11, 10), 100)).toEqual({ ok: false, reason: 'reserve-exhausted' });
  });
});

describe('priority classes and ticket states', () => {
  it('has the four 特殊人群 classes besides normal', () => {
    expect(priorityClasses).toEqual(['normal', 'elderly', 'disabled', 'pregnant', 'military']);
    expect(priorityClasses.filter(isPriority)).toHaveLength(4);
    expect(isPriority('normal')).toBe(false);
  });

  it('counts only printed tickets as issued', () => {
    expect(countsAsIssued({ state: 'issued' })).toBe(true);
    for (const state of ['printing', 'unprinted', 'voided'] as const) expect(countsAsIssued({ state })).toBe(false);
  });
});
