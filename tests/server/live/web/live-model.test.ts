import { describe, expect, it } from 'vitest';
import type { LiveTicketView } from '../../../../core/queue/live-ticket-view.ts';
import { statusLines, tokenOfPath } from '../../../../server/live/web/live-model.ts';

const waiting: LiveTicketView = {
  label: 'A002',
  service: { zh: '企业设立登记', en: 'Business registration' },
  language: 'zh',
  businessDay: '2026-12-08',
  status: 'waiting',
  ahead: 3,
  estimateMinutes: null,
  window: null,
  past: false,
  asOf: 0,
};

const keys = (view: LiveTicketView) => statusLines(view).lines.map((l) => ('key' in l ? l.key : l.words));

describe('the live ticket page', () => {
  it('reads the token from /t/<token> only', () => {
    expect(tokenOfPath('/t/AQgPFh0kKzI5QEdOVVxjag')).toBe('AQgPFh0kKzI5QEdOVVxjag');
    expect(tokenOfPath('/t/AQgPFh0kKzI5QEdOVVxjag/')).toBe('AQgPFh0kKzI5QEdOVVxjag');
    expect(tokenOfPath('/t/short')).toBeNull();
    expect(tokenOfPath('/t/019ab5e2-3c40-7d1e-9a2b-3c4d5e6f7a8b')).toBeNull();
    expect(tokenOfPath('/counter')).toBeNull();
  });

  it('says 前面还有N人 while waiting, and 预计等候 only when the server gave one, in the ticket’s language', () => {
    expect(keys(waiting)).toEqual(['waiting.ahead', 'waiting.listen']);
    expect(statusLines(waiting).lines[0]).toMatchObject({ values: { count: 3 }, strong: true });
    expect(keys({ ...waiting, estimateMinutes: 12 })).toEqual(['waiting.ahead', '预计等候约12分钟', 'waiting.listen']);
    expect(keys({ ...waiting, estimateMinutes: 12, language: 'en' })).toContain('Estimated wait: about 12 min');
    expect(keys({ ...waiting, ahead: null })).toEqual(['waiting.listen']);
  });

  it('says where to go when called, naming a window whose name is not its number', () => {
    const called: LiveTicketView = { ...waiting, status: 'called', ahead: null, window: { number: 3, name: '3号窗口' } };
    expect(statusLines(called).tone).toBe('go');
    expect(keys(called)).toEqual(['called.go', 'called.hint']);
    expect(statusLines(called).lines[0]).toMatchObject({ values: { number: 3 } });
    expect(keys({ ...called, window: { number: 7, name: '社保综合窗口' } })).toEqual(['called.go', 'called.name', 'called.hint']);
  });

  it('says what became of the ticket once it left the queue, and that yesterday’s ticket has expired', () => {
    expect(keys({ ...waiting, status: 'serving', window: { number: 3, name: '3号窗口' } })).toEqual(['serving.status', 'serving.where']);
    expect(keys({ ...waiting, status: 'done' })).toEqual(['done.status', 'done.hint']);
    expect(keys({ ...waiting, status: 'no-show' })).toEqual(['noShow.status', 'noShow.hint']);
    expect(keys({ ...waiting, status: 'voided' })).toEqual(['voided.status', 'voided.hint']);
    expect(keys({ ...waiting, status: 'not-queued' })).toEqual(['notQueued.status', 'notQueued.hint']);
    expect(keys({ ...waiting, past: true })).toEqual(['past']);
  });
});
