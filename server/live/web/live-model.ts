import type { LiveTicketView } from '../../../core/queue/live-ticket-view.ts';
import { liveTicketPathPrefix, liveTokenSchema } from '../../../core/ticket/live-ticket.ts';
import { waitEstimateText } from '../../../core/queue/wait-estimate.ts';
import type { TextKey } from '../../web/i18n.ts';
import type { LiveText } from './live-text.ts';

/** The token of a page at `/t/<token>`; null when the path holds none that could be one. */
export function tokenOfPath(pathname: string): string | null {
  if (!pathname.startsWith(liveTicketPathPrefix)) return null;
  const token = decodeURIComponent(pathname.slice(liveTicketPathPrefix.length).replace(/\/+$/, ''));
  return liveTokenSchema.safeParse(token).success ? token : null;
}

/** One line of the page's status block: a key of the page's text with its values, or words already made. */
export type StatusLine = { key: TextKey<LiveText>; values?: Record<string, string | number>; strong?: boolean } | { words: string; strong?: boolean };

/**
 * What the page says of the ticket, in order: the main line (where to go, or what became of it),
 * then the lines under it. Only what the server said: no count or estimate it did not give.
 */
export function statusLines(view: LiveTicketView): { tone: 'wait' | 'go' | 'over'; lines: StatusLine[] } {
  if (view.past) return { tone: 'over', lines: [{ key: 'past', values: { day: view.businessDay }, strong: true }] };
  const window = view.window;
  switch (view.status) {
    case 'waiting': {
      const lines: StatusLine[] = [];
      if (view.ahead !== null) lines.push({ key: 'waiting.ahead', values: { count: view.ahead }, strong: true });
      if (view.estimateMinutes !== null) lines.push({ words: waitEstimateText(view.estimateMinutes)[view.language] });
      lines.push({ key: 'waiting.listen' });
      return { tone: 'wait', lines };
    }
    case 'called': {
      const lines: StatusLine[] = [{ key: 'called.go', values: { number: window?.number ?? '?' }, strong: true }];
      // A window named otherwise than its number (e.g. 社保综合窗口) is found by its sign too.
      if (window && window.name !== '' && window.name !== `${window.number}号窗口`) lines.push({ key: 'called.name', values: { name: window.name } });
      lines.push({ key: 'called.hint' });
      return { tone: 'go', lines };
    }
    case 'serving':
      return { tone: 'go', lines: [{ key: 'serving.status', strong: true }, ...(window ? [{ key: 'serving.where' as const, values: { number: window.number } }] : [])] };
    case 'suspended':
      return { tone: 'wait', lines: [{ key: 'suspended.status', strong: true }, { key: 'suspended.hint', values: { number: window?.number ?? '?' } }] };
    case 'done':
      return { tone: 'over', lines: [{ key: 'done.status', strong: true }, { key: 'done.hint' }] };
    case 'no-show':
      return { tone: 'over', lines: [{ key: 'noShow.status', strong: true }, { key: 'noShow.hint' }] };
    case 'voided':
      return { tone: 'over', lines: [{ key: 'voided.status', strong: true }, { key: 'voided.hint' }] };
    case 'not-queued':
      return { tone: 'wait', lines: [{ key: 'notQueued.status', strong: true }, { key: 'notQueued.hint' }] };
  }
}
