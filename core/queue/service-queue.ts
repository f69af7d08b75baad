import type { BusinessDay } from '../calendar/business-day.ts';
import { isPriority, priorityClasses } from '../ticket/ticket.ts';
import type { CallingSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import { waitingLeg } from './leg.ts';
import { peopleAhead } from './people-ahead.ts';
import type { ServiceSample } from './wait-estimate.ts';
import { estimateWait } from './wait-estimate.ts';

/**
 * What the kiosks are told about one service's queue: how many wait, and how many a ticket issued
 * now would have ahead of it (前面还有N人), by the next rule. Waiting means a leg of an issued
 * (printed) ticket not yet called, not voided, for the service on the day, open to any window —
 * a leg a transfer pinned to one window waits in that window's queue, not the service's.
 */
export interface ServiceQueueCounts {
  waiting: number;
  waitingPriority: number;
  aheadOfNew: { normal: number; priority: number };
}

/** 预计等候 for a ticket issued now, in whole minutes; null where there is not enough to say (wait-estimate.ts). */
export interface NewTicketEstimate {
  normal: number | null;
  priority: number | null;
}

/** The measured pace and the open windows, applied to the people a new ticket would have ahead. */
export function newTicketEstimate(
  counts: Pick<ServiceQueueCounts, 'aheadOfNew'>,
  input: { serviceId: string; samples: readonly ServiceSample[]; windowsOpen: number; today: BusinessDay; now: number; settings: Pick<CallingSettings, 'waitEstimate'> },
): NewTicketEstimate {
  const minutes = (ahead: number) =>
    estimateWait({ serviceId: input.serviceId, ahead, windowsOpen: input.windowsOpen, samples: input.samples, today: input.today, now: input.now, settings: input.settings.waitEstimate })?.minutes ?? null;
  return { normal: minutes(counts.aheadOfNew.normal), priority: minutes(counts.aheadOfNew.priority) };
}

/** Sorts after every real ticket id, so the would-be ticket is the last of its millisecond. */
const newTicketId = '\uffff';

export function serviceQueueCounts(
  legs: readonly Leg[],
  serviceId: string,
  businessDay: BusinessDay,
  settings: Pick<CallingSettings, 'maxPriorityInRow' | 'longWaitMinutes'>,
  now: number,
): ServiceQueueCounts {
  const queue = legs.filter((l) => l.state === 'waiting' && l.serviceId === serviceId && l.businessDay === businessDay && l.pinnedWindow === null);
  const ahead = (priority: Leg['priority']) =>
    peopleAhead({
      leg: waitingLeg({ id: newTicketId, ticketId: newTicketId, label: '-', serviceId, priority, businessDay, issuedAt: now }),
      legs: queue,
      settings,
      now,
    }) ?? 0;
  const priorityClass = priorityClasses.find((p) => isPriority(p))!;
  return {
    waiting: queue.length,
    waitingPriority: queue.filter((l) => isPriority(l.priority)).length,
    aheadOfNew: { normal: ahead('normal'), priority: ahead(priorityClass) },
  };
}
