import type { Clock } from '../core/calendar/clock.ts';

/**
 * The one clock of the app. Everything reads time through it (never `new Date()` at the call
 * site), so an end-to-end test that installs Playwright's page.clock moves the whole kiosk: the
 * status bar, business day, ticket times and idle timers alike.
 */
export const appClock: Clock = { now: () => Date.now() };
