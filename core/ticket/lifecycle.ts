import type { SyncEventType } from '../sync/events.ts';
import type { Ticket, TicketState } from './ticket.ts';

/**
 * The ticket lifecycle: which action moves a ticket from which state, and why the others are
 * refused. The kiosk's issuer, the server's event handlers and the server's fast path all ask
 * this one table, so a ticket can never be in a state on one side that the other calls illegal.
 *
 * A table keyed by (state, action). A pair the table does not list is refused with the action's
 * own refusal; a pair listed as `already` is one whose effect already holds (voiding a voided
 * ticket), which changes nothing and records nothing. Counter calling adds its states (waiting,
 * called, serving, done…) and actions (call, start, finish, no-show…) as more rows and columns.
 */

export const ticketActions = [
  /** the printer confirmed the paper (ticket.printed) */
  'print-confirmed',
  /** the print failed or may have, or the kiosk stopped before the printer answered (ticket.print-failed) */
  'print-failed',
  /** 补打: a printed ticket printed again for a citizen who lost it (ticket.reprinted) */
  'reprint',
  /** staff void it (ticket.voided) */
  'void',
  /**
   * out of paper, the kiosk showed the live ticket's QR as an electronic ticket (电子号票) and the
   * citizen holds the number on the phone (ticket.held-electronically): issued without paper
   */
  'hold-electronic',
] as const;
export type TicketAction = (typeof ticketActions)[number];

/** Why an action is refused. Each has one text, the same on the kiosk and on the server. */
export const ticketRefusals = ['print-not-pending', 'reprint-voided', 'reprint-not-printed', 'electronic-not-unprinted', 'not-allowed'] as const;
export type TicketRefusal = (typeof ticketRefusals)[number];

export type TicketStep =
  | { to: TicketState }
  /** the action's effect already holds: nothing changes and nothing is recorded */
  | { already: true }
  | { refused: TicketRefusal };

const transitions: { readonly [S in TicketState]: { readonly [A in TicketAction]?: TicketStep } } = {
  printing: { 'print-confirmed': { to: 'issued' }, 'print-failed': { to: 'unprinted' }, void: { to: 'voided' } },
  // Staff may have reprinted it before the kiosk said it was held electronically: issued either way.
  issued: { reprint: { to: 'issued' }, void: { to: 'voided' }, 'hold-electronic': { already: true } },
  unprinted: { 'print-confirmed': { to: 'issued' }, 'print-failed': { to: 'unprinted' }, void: { to: 'voided' }, 'hold-electronic': { to: 'issued' } },
  // A voided ticket is never reprinted: another slip with its number would be a live ticket again.
  voided: { reprint: { refused: 'reprint-voided' }, void: { already: true } },
};

/** What refuses an action from a state the table does not list for it; `not-allowed` when not named here. */
const otherwise: { readonly [A in TicketAction]?: TicketRefusal } = {
  'print-confirmed': 'print-not-pending',
  'print-failed': 'print-not-pending',
  // An unprinted ticket is printed again by the unprinted-ticket flow (which makes it issued), not reprinted.
  reprint: 'reprint-not-printed',
  // Only a ticket whose print failed is offered as an electronic ticket; a voided one never is.
  'hold-electronic': 'electronic-not-unprinted',
};

const refusalTexts: { readonly [R in TicketRefusal]: (t: Pick<Ticket, 'label' | 'state'>, action: TicketAction) => string } = {
  'print-not-pending': (t) => `ticket ${t.label} is ${t.state}: only a ticket being printed or unprinted can record a print`,
  'reprint-voided': (t) => `ticket ${t.label} is voided: a voided ticket is never reprinted`,
  'reprint-not-printed': (t) => `ticket ${t.label} is ${t.state}: only a printed ticket can be reprinted`,
  'electronic-not-unprinted': (t) => `ticket ${t.label} is ${t.state}: only a ticket whose print failed is held as an electronic ticket`,
  'not-allowed': (t, action) => `ticket ${t.label} is ${t.state}: ${action} is not allowed`,
};

/** The step `action` takes from `state`. */
export function ticketStep(state: TicketState, action: TicketAction): TicketStep {
  return transitions[state][action] ?? { refused: otherwise[action] ?? 'not-allowed' };
}

export type TicketMove =
  | { ok: true; to: TicketState; changes: boolean }
  | { ok: false; refusal: TicketRefusal; reason: string };

/**
 * Whether `action` may happen to `ticket` now: the state it moves to (`changes` false when the
 * effect already holds), or the refusal with its text.
 */
export function moveTicket(ticket: Pick<Ticket, 'label' | 'state'>, action: TicketAction): TicketMove {
  const step = ticketStep(ticket.state, action);
  if ('refused' in step) return { ok: false, refusal: step.refused, reason: refusalTexts[step.refused](ticket, action) };
  return 'already' in step ? { ok: true, to: ticket.state, changes: false } : { ok: true, to: step.to, changes: true };
}

/** The states from which `action` is not refused. */
export function statesAllowing(action: TicketAction): TicketState[] {
  return (Object.keys(transitions) as TicketState[]).filter((state) => !('refused' in ticketStep(state, action)));
}

/** The sync event that records each action of a ticket already issued. */
export const ticketEventActions = {
  'ticket.printed': 'print-confirmed',
  'ticket.print-failed': 'print-failed',
  'ticket.reprinted': 'reprint',
  'ticket.voided': 'void',
  'ticket.held-electronically': 'hold-electronic',
} as const satisfies Partial<Record<SyncEventType, TicketAction>>;
export type TicketChangeEvent = keyof typeof ticketEventActions;

export function isTicketChangeEvent(type: string): type is TicketChangeEvent {
  return Object.hasOwn(ticketEventActions, type);
}

/**
 * Why a ticket cannot be reprinted for a citizen who lost it, as the state that refuses it (the
 * screen words each); null when it can. Only a ticket the citizen held on paper can.
 */
export type ReprintRefusal = Exclude<TicketState, 'issued'>;

export function reprintRefusal(t: Pick<Ticket, 'label' | 'state'>): ReprintRefusal | null {
  return moveTicket(t, 'reprint').ok ? null : (t.state as ReprintRefusal);
}
