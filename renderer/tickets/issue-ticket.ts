import type { TFunction } from 'i18next';
import { businessDayOf } from '../../core/calendar/business-day.ts';
import type { HallRules } from '../../core/calendar/calendar-rules.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { ticketValidity, type TicketValidity } from '../../core/calendar/hall-calendar.ts';
import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import { peopleAhead, waitEstimateMinutes } from '../../core/ticket/queue-state.ts';
import { liveTicketUrl } from '../../core/ticket/live-ticket.ts';
import type { Language } from '../../core/text/localized.ts';
import type { PriorityClass, Ticket } from '../../core/ticket/ticket.ts';
import { refusalOf } from '../app/hall-now.ts';
import type { IssuedTally } from '../db/issued-tally.ts';
import type { IssueResult, TicketIssuer } from '../db/ticket-issuer.ts';
import { printAndRecord, type PrintAndRecordOutcome } from '../printing/print-and-record.ts';
import { buildTicketPrintJob } from '../printing/ticket-print-job.ts';
import { ticketValidityText } from '../screens/citizen/availability-text.ts';
import type { QueueStateStore } from '../sync/queue-state-store.ts';
import type { SyncEngine } from '../sync/sync-engine.ts';

export interface IssueTicketDeps {
  issuer: Pick<TicketIssuer, 'issue' | 'recordPrint' | 'recordHeldElectronically'>;
  printer: Pick<KioskApi['printer'], 'print'>;
  tally: Pick<IssuedTally, 'noteRefused'>;
  sync: Pick<SyncEngine, 'kick'>;
  queue: Pick<QueueStateStore, 'latest'>;
  /** the kiosk clock corrected by the hall server's offset: what the hall calendar is read by */
  hallClock: Clock;
  /** read at each issue: a new calendar or new hall settings from the server take effect at once */
  rules: () => HallRules;
  hall: () => { name: string; timeZone: string };
  /** the hall's public address as last pulled: the QR opens the live ticket there; null prints no QR */
  publicAddress: () => string | null;
  /** the texts of the paper ticket, in the language the citizen chose */
  printText: (language: Language) => TFunction;
  /** how long to wait for the printer service (print-and-record.ts); its default when absent */
  printTimeoutMs?: number;
}

/** A ticket issued and sent to the printer; `printed` settles once the printer answered and the answer is recorded. */
export interface IssuedTicket {
  ok: true;
  ticket: Ticket;
  /** people ahead as the ticket says it; null when unknown, or for the self-service area, which has no queue */
  peopleAhead: number | null;
  /** 预计等候 in minutes as the ticket says it; null when the server could not say, or offline */
  waitEstimateMinutes: number | null;
  /** the live ticket's address, the QR on the paper; null when the hall has no public address */
  liveUrl: string | null;
  validity: TicketValidity;
  printed: Promise<PrintAndRecordOutcome>;
}

export type IssueOutcome = Exclude<IssueResult, { ok: true }> | IssuedTicket;

/**
 * The "issue a ticket" use case, as a citizen's 确认取号 sets it off: take a number, let the
 * server's refusal stand for the next citizens, hurry the sync, count the people ahead and print
 * once. The screens show what it answers; printing goes on even if the citizen walks away.
 */
export class IssueTicket {
  constructor(private readonly deps: IssueTicketDeps) {}

  async issue(service: ServiceItem, priority: PriorityClass, language: Language = 'zh'): Promise<IssueOutcome> {
    const { issuer, tally, sync, queue, hallClock } = this.deps;
    // Taken before the ticket exists anywhere, so the count cannot include the ticket itself.
    const queueState = queue.latest();
    const issued = await issuer.issue(service, priority, language);
    const rules = this.deps.rules();
    const hall = this.deps.hall();
    // Counted again either way: the service may now be full (额满) or closed for everyone after.
    const now = hallClock.now();
    const refusal = refusalOf(issued, rules, service.id, now, hall.timeZone);
    if (refusal) tally.noteRefused(service.id, businessDayOf(now, hall.timeZone), refusal);
    if (!issued.ok) return issued;
    sync.kick();
    const { ticket } = issued;
    const validity = ticketValidity(rules, service.id, ticket.issuedAt, hall.timeZone);
    // The queue counted is the counters': a number for the self-service area waits in none.
    const ahead = validity.kind === 'self-service' ? null : peopleAhead(queueState, ticket);
    const estimate = ahead === null ? null : waitEstimateMinutes(queueState, ticket);
    const publicAddress = this.deps.publicAddress();
    const printedValidity = ticketValidityText(this.deps.printText(language), validity, ticket.issuedAt, hall.timeZone);
    const liveUrl = liveTicketUrl(publicAddress, ticket.liveToken);
    const printed = printAndRecord(
      ticket,
      () => buildTicketPrintJob({ ticket, service, hallName: hall.name, timeZone: hall.timeZone, peopleAhead: ahead, waitEstimateMinutes: estimate, publicAddress, language, ...(printedValidity ? { validity: printedValidity } : {}) }),
      { printer: this.deps.printer, issuer, ...(this.deps.printTimeoutMs === undefined ? {} : { timeoutMs: this.deps.printTimeoutMs }) },
    ).then(async (outcome) => {
      // Out of paper — certainly nothing printed — the screen offers the live QR as an electronic
      // ticket (ticket-screen.tsx): the citizen holds the number on the phone, so it is issued.
      if (outcome.result.outcome === 'paper-out' && liveUrl !== null && outcome.ticket) {
        try {
          outcome = { ...outcome, ticket: await issuer.recordHeldElectronically(ticket.id) };
        } catch (error) {
          console.error('could not record the electronic ticket', ticket.id, error);
        }
      }
      // The print's outcome is an event to push too.
      sync.kick();
      return outcome;
    });
    return { ok: true, ticket, peopleAhead: ahead, waitEstimateMinutes: estimate, liveUrl, validity, printed };
  }
}
