import type { BusinessDay } from '../calendar/business-day.ts';
import type { LocalizedText } from '../text/localized.ts';
import type { WaitEstimateSettings } from './calling-settings.ts';
import type { Leg } from './leg.ts';
import type { CounterWindow, WindowStatus } from './window.ts';
import { isWindowOpen } from './window.ts';

/**
 * 预计等候约N分钟: the people ahead, times how long a window spends on one of them lately, shared
 * among the windows open for the service now. Said only with enough measurements from today in
 * the recent band (a morning rush and a quiet afternoon differ); otherwise nothing, because a
 * guess printed on a ticket misleads.
 */

/** How long a window spent on one leg of a service: from its (last) call until it left the window. */
export interface ServiceSample {
  serviceId: string;
  businessDay: BusinessDay;
  calledAt: number;
  endedAt: number;
}

/**
 * The sample a leg gives once it has left the window. A no-show or a transfer took window time too,
 * so it counts; a voided leg does not. A leg suspended and called back measures its last round only.
 */
export function serviceSampleOf(leg: Leg): ServiceSample | null {
  if (leg.state !== 'done' && leg.state !== 'no-show' && leg.state !== 'transferred') return null;
  if (leg.firstCalledAt === null || leg.endedAt === null || leg.endedAt < leg.firstCalledAt) return null;
  return { serviceId: leg.serviceId, businessDay: leg.businessDay, calledAt: leg.firstCalledAt, endedAt: leg.endedAt };
}

/** Windows calling for the service now: signed in, not paused, the service in their profile. */
export function windowsOpenFor(serviceId: string, windows: readonly { window: Pick<CounterWindow, 'profile'>; status: Pick<WindowStatus, 'state'> }[]): number {
  return windows.filter(({ window, status }) => isWindowOpen(status)
    && (window.profile.main.includes(serviceId) || window.profile.extra.includes(serviceId))).length;
}

export interface WaitEstimateInput {
  serviceId: string;
  /** people ahead (people-ahead.ts) */
  ahead: number;
  windowsOpen: number;
  samples: readonly ServiceSample[];
  today: BusinessDay;
  now: number;
  settings: WaitEstimateSettings;
}

export interface WaitEstimate {
  /** whole minutes, at least 1 */
  minutes: number;
  /** 预计等候约N分钟 */
  text: LocalizedText;
  /** the measured services it rests on */
  basedOn: number;
  meanServiceMs: number;
}

export function waitEstimateText(minutes: number): LocalizedText {
  return { zh: `预计等候约${minutes}分钟`, en: `Estimated wait: about ${minutes} min` };
}

export function estimateWait(input: WaitEstimateInput): WaitEstimate | null {
  const { settings, now } = input;
  if (input.windowsOpen <= 0 || input.ahead < 0) return null;
  const from = now - settings.bandMinutes * 60_000;
  const recent = input.samples
    .filter((s) => s.serviceId === input.serviceId && s.businessDay === input.today && s.endedAt > from && s.endedAt <= now)
    .sort((a, b) => b.endedAt - a.endedAt)
    .slice(0, settings.maxSamples);
  if (recent.length < settings.minSamples) return null;
  const meanServiceMs = recent.reduce((sum, s) => sum + (s.endedAt - s.calledAt), 0) / recent.length;
  // Those ahead leave in waves of `windowsOpen`; the windows busy now are on average half done.
  const waitMs = ((input.ahead + 0.5) * meanServiceMs) / input.windowsOpen;
  const minutes = Math.max(1, Math.round(waitMs / 60_000));
  return { minutes, text: waitEstimateText(minutes), basedOn: recent.length, meanServiceMs };
}
