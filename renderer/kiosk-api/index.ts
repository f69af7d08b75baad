import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import { createHostKioskApi } from './host-client.ts';
import { takeHostToken } from './host-token.ts';

declare global {
  interface Window {
    /** set by the Electron preload; absent in host mode */
    kiosk?: KioskApi;
  }
}

export class NoKioskApiError extends Error {
  override readonly name = 'NoKioskApiError';
}

/**
 * Call once at start-up, before anything else touches the URL: in host mode it takes the
 * one-time token out of the fragment.
 */
export function resolveKioskApi(): KioskApi {
  if (window.kiosk) return window.kiosk;
  const token = takeHostToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  if (!token) throw new NoKioskApiError('no window.kiosk and no host API token in the URL or this session');
  return createHostKioskApi({
    token,
    fetch: window.fetch.bind(window),
    openEvents: (url) => new EventSource(url),
  });
}
