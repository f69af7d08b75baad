import { describe, expect, it } from 'vitest';
import { syncEventTypes } from '../../../core/sync/events.ts';
import {
  isTicketChangeEvent, moveTicket, reprintRefusal, statesAllowing, ticketActions, ticketEventActions, ticketStep, type TicketAction, type TicketStep,
} from '../../../core/ticket/lifecycle.ts';
import { ticketStates, type TicketState } from '../../../core/ticket/ticket.ts';

// Every (state, action) pair, written out: a change to the lifecycle must change this table too.
const expected: Record<TicketState, Record<TicketAction, TicketStep>> = {
  printing: {
    'print-confirmed': { to: 'issued' },
    'print-failed': { to: 'unprinted' },
    reprint: { refused: 'reprint-not-printed' },
    void: { to: 'voided' },
    'hold-electronic': { refused: 'electronic-not-unprinted' },
  },
  issued: {
    'print-confirmed': { refused: 'print-not-pending' },
    'print-failed': { refused: 'print-not-pending' },
    reprint: { to: 'issued' },
    void: { to: 'voided' },
    'hold-electronic': { already: true },
  },
  unprinted: {
    'print-confirmed': { to: 'issued' },
    'print-failed': { to: 'unprinted' },
    reprint: { refused: 'reprint-not-printed' },
    void: { to: 'voided' },
    'hold-electronic': { to: 'issued' },
  },
  voided: {
    'print-confirmed': { refused: 'print-not-pending' },
    'print-failed': { refused: 'print-not-pending' },
    reprint: { refused: 'reprint-voided' },
    void: { already: true },
    'hold-electronic': { refused: 'electronic-not-unprinted' },
  },
};

describe('the ticket lifecycle table', () => {
  const pairs = ticketStates.flatMap((state) => ticketActions.map((action) => [state, action] as const));

  it.each(pairs)('%s + %s', (state, action) => {
    expect(ticketStep(state, action)).toEqual(expected[state][action]);
  });

  it('names every state and action of the ticket', () => {
    expect(Object.keys(expected).sort()).toEqual([...ticketStates].sort());
    for (const state of ticketStates) expect(Object.keys(expected[state]).sort()).toEqual([...ticketActions].sort());
  });

  it('lists the states each action is allowed from', () => {
    expect(statesAllowing('print-confirmed')).toEqual(['printing', 'unprinted']);
    expect(statesAllowing('print-failed')).toEqual(['printing', 'unprinted']);
    expect(statesAllowing('reprint')).toEqual(['issued']);
    expect(statesAllowing('void')).toEqual(['printing', 'issued', 'unprinted', 'voided']);
  });
});

describe('moving a ticket', () => {
  it('gives the state it moves to, and says when the effect already holds', () => {
    expect(moveTicket({ label: 'A001', state: 'printing' }, 'print-confirmed')).toEqual({ ok: true, to: 'issued', changes: true });
    expect(moveTicket({ label: 'A001', state: 'issued' }, 'reprint')).toEqual({ ok: true, to: 'issued', changes: true });
    expect(moveTicket({ label: 'A001', state: 'voided' }, 'void')).toEqual({ ok: true, to: 'voided', changes: false });
  });

  it('words each refusal once, for the kiosk and the server alike', () => {
    expect(moveTicket({ label: 'D012', state: 'voided' }, 'reprint')).toEqual({ ok: false, refusal: 'reprint-voided', reason: 'ticket D012 is voided: a voided ticket is never reprinted' });
    expect(moveTicket({ label: 'D013', state: 'unprinted' }, 'reprint')).toMatchObject({ reason: 'ticket D013 is unprinted: only a printed ticket can be reprinted' });
    expect(moveTicket({ label: 'D014', state: 'issued' }, 'print-failed')).toMatchObject({
      reason: 'ticket D014 is issued: only a ticket being printed or unprinted can record a print',
    });
  });

  it('names the state that refuses a reprint, for the screen; none for a printed ticket', () => {
    expect(ticketStates.map((state) => reprintRefusal({ label: 'A001', state }))).toEqual(['printing', null, 'unprinted', 'voided']);
  });
});

describe('the sync events of a ticket change', () => {
  it('map to the actions the table knows', () => {
    expect(ticketEventActions).toEqual({ 'ticket.printed': 'print-confirmed', 'ticket.print-failed': 'print-failed', 'ticket.reprinted': 'reprint', 'ticket.voided': 'void', 'ticket.held-electronically': 'hold-electronic' });
    for (const type of Object.keys(ticketEventActions)) expect(syncEventTypes).toContain(type);
  });

  it('are told apart from every other event type', () => {
    expect(syncEventTypes.filter(isTicketChangeEvent)).toEqual(expect.arrayContaining(Object.keys(ticketEventActions)));
    expect(isTicketChangeEvent('ticket.issued')).toBe(false);
    expect(isTicketChangeEvent('checkin.recorded')).toBe(false);
    expect(isTicketChangeEvent('toString')).toBe(false);
  });
});
