import { describe, expect, it } from 'vitest';
import type { LegState } from '../../../core/queue/leg.ts';
import { currentLeg, liveTicketStatus, showsWindow } from '../../../core/queue/live-ticket-view.ts';
import type { TicketState } from '../../../core/ticket/ticket.ts';

describe('the live ticket status', () => {
  it.each<[TicketState, LegState | null, string]>([
    ['printing', null, 'not-queued'],
    ['unprinted', null, 'not-queued'],
    ['issued', null, 'not-queued'],
    ['voided', null, 'voided'],
    ['voided', 'voided', 'voided'],
    ['issued', 'waiting', 'waiting'],
    ['issued', 'called', 'called'],
    ['issued', 'serving', 'serving'],
    ['issued', 'suspended', 'suspended'],
    ['issued', 'done', 'done'],
    ['issued', 'transferred', 'done'],
    ['issued', 'no-show', 'no-show'],
  ])('a %s ticket whose leg is %s is %s', (ticket, leg, status) => {
    expect(liveTicketStatus(ticket, leg === null ? null : { state: leg })).toBe(status);
  });

  it('shows the window only while it matters to the citizen', () => {
    expect(['called', 'serving', 'suspended'].every((s) => showsWindow(s as never))).toBe(true);
    expect(['waiting', 'done', 'no-show', 'voided', 'not-queued'].some((s) => showsWindow(s as never))).toBe(false);
  });

  it('follows a transfer to its newest leg, and the end of the chain once everything is over', () => {
    const first = { id: 'l1', state: 'transferred' as LegState, parentLegId: null };
    const second = { id: 'l2', state: 'waiting' as LegState, parentLegId: 'l1' };
    expect(currentLeg([first, second])).toBe(second);
    expect(currentLeg([second, first])).toBe(second);
    const done = { ...second, state: 'done' as LegState };
    expect(currentLeg([first, done])).toBe(done);
    expect(currentLeg([])).toBeNull();
  });
});
