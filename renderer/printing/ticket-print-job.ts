import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { TicketPrintJob } from '../../core/printing/printing.ts';
import { ticketPrintJobSchema } from '../../core/printing/printing.ts';
import type { Ticket } from '../../core/ticket/ticket.ts';
import { isPriority } from '../../core/ticket/ticket.ts';
import { liveTicketUrl } from '../../core/ticket/live-ticket.ts';
import { waitEstimateText } from '../../core/queue/wait-estimate.ts';
import type { Language } from '../../core/text/localized.ts';
import { hallMinuteText } from '../hall-time.ts';
import { en } from '../i18n/en.ts';
import { zh } from '../i18n/zh.ts';

const printTexts = { zh, en } as const;

export interface TicketPrintInput {
  ticket: Ticket;
  /** absent when the catalog no longer lists the ticket's service */
  service: ServiceItem | undefined;
  hallName: string;
  timeZone: string;
  reprint?: boolean;
  /** the hall's public address (hall settings): the QR opens the live ticket there; null or absent: no QR */
  publicAddress?: string | null;
  /** people ahead when the ticket was issued (core/ticket/queue-state.ts); null or absent when unknown */
  peopleAhead?: number | null;
  /** 预计等候 in minutes when the ticket was issued (core/ticket/queue-state.ts); null or absent when the server could not say */
  waitEstimateMinutes?: number | null;
  /** the number is not for open counters now (core/calendar/hall-calendar.ts `ticketValidity`), in `language` */
  validity?: { windows?: string; text: string };
  /** the language the citizen chose on screen; Chinese when absent */
  language?: Language;
}

/**
 * A job printed before, printed again for a citizen who lost the ticket: marked 补打, and without
 * the people-ahead count and the estimate, which were true when the ticket was issued, not now.
 */
export function reprintJobOf(job: TicketPrintJob): TicketPrintJob {
  const { peopleAheadText: _ahead, waitEstimateText: _estimate, ...rest } = job;
  return ticketPrintJobSchema.parse({ ...rest, footer: printTexts[job.language ?? 'zh'].print.reprintFooter });
}

/**
 * The paper ticket is in the language the citizen chose (issue 13 §13): it is the citizen's to
 * read. The hall's name and the number stay as they are, which is what the counter staff and
 * the calling display go by.
 */
export function buildTicketPrintJob(input: TicketPrintInput): TicketPrintJob {
  const { ticket, service } = input;
  const language = input.language ?? 'zh';
  const text = printTexts[language];
  const qr = liveTicketUrl(input.publicAddress, ticket.liveToken);
  const job: TicketPrintJob = {
    hallName: input.hallName,
    label: ticket.label,
    serviceName: service ? service.name[language] : ticket.serviceId,
    ...(input.validity?.windows !== undefined ? { windows: input.validity.windows } : service ? { windows: service.windows[language] } : {}),
    ...(input.validity ? { validityText: input.validity.text } : {}),
    ...(isPriority(ticket.priority) ? { priorityMark: text.print.priorityMark.replace('{{cls}}', text.priority[ticket.priority]) } : {}),
    // A reprint says nothing: the count was true when the ticket was issued, not now.
    ...(input.peopleAhead != null && !input.reprint ? { peopleAheadText: text.print.peopleAhead.replace('{{count}}', String(input.peopleAhead)) } : {}),
    ...(input.waitEstimateMinutes != null && !input.reprint ? { waitEstimateText: waitEstimateText(input.waitEstimateMinutes)[language] } : {}),
    issuedAtText: hallMinuteText(ticket.issuedAt, input.timeZone),
    // No address, no QR: a code that opens nothing (or someone else's site) is worse than none.
    ...(qr ? { qrPayload: qr } : {}),
    footer: input.reprint ? text.print.reprintFooter : text.print.footer,
    ...(language === 'zh' ? {} : { language }),
  };
  return ticketPrintJobSchema.parse(job);
}
