import { describe, expect, it } from 'vitest';
import type { DisplayState } from '../../../../core/display/display.ts';
import type { HallEvent } from '../../../../core/queue/hall-events.ts';
import { applyDisplayEvent, needsReload } from '../../../../server/displays/web/display-model.ts';

const state: DisplayState = {
  display: { displayId: 'd', name: '一楼', kind: 'hall', window: null, zone: [] },
  hallName: '政务服务中心',
  notice: '',
  lastEventId: 10,
  windows: [{ number: 3, name: '3号窗口', department: { zh: '市场监管', en: 'Market' }, state: 'idle', pauseReason: null, staff: { name: '李明', staffId: '3101' }, label: null }],
  queues: [{ serviceId: 'biz', name: { zh: '企业设立登记', en: 'Company registration' }, departmentId: 'market', waiting: 5 }],
  recentCalls: [],
};
const call = (id: number, label: string): HallEvent => ({
  id,
  at: 0,
  kind: 'call',
  department: 'market',
  data: { legId: `l${id}`, ticketId: `t${id}`, label, serviceId: 'biz', window: 3, windowName: '3号窗口', call: 'call', calls: 1 },
});

describe('a screen moved on by its events', () => {
  it('a call becomes the latest and shows at its window; the same call again changes nothing', () => {
    const once = applyDisplayEvent(state, call(11, 'A001'));
    expect(once.recentCalls.map((c) => c.id)).toEqual([11]);
    expect(once.windows[0]!.label).toBe('A001');
    expect(once.lastEventId).toBe(11);
    expect(applyDisplayEvent(once, call(11, 'A001'))).toBe(once);
  });

  it('two calls arriving out of order are kept in id order, and only the latest few', () => {
    let s = applyDisplayEvent(state, call(13, 'A003'));
    s = applyDisplayEvent(s, call(12, 'A002'));
    expect(s.recentCalls.map((c) => c.id)).toEqual([12, 13]);
    for (let id = 14; id < 40; id++) s = applyDisplayEvent(s, call(id, 'A0'));
    expect(s.recentCalls.length).toBe(9);
    expect(s.recentCalls.at(-1)!.id).toBe(39);
  });

  it('a waiting count is set, not added to', () => {
    const event: HallEvent = { id: 11, at: 0, kind: 'queue', department: 'market', data: { serviceId: 'biz', businessDay: '2026-12-08', waiting: 4, waitingPriority: 0, aheadOfNew: { normal: 4, priority: 0 }, estimateMinutes: { normal: null, priority: null } } };
    expect(applyDisplayEvent(applyDisplayEvent(state, event), event).queues[0]!.waiting).toBe(4);
  });

  it('a pause is drawn at once and its reason read again; a window opening is read again for its staff', () => {
    const pause: HallEvent = { id: 11, at: 0, kind: 'window', department: 'market', data: { window: 3, state: 'paused', pauseReason: 'errand', legId: null, label: null } };
    expect(applyDisplayEvent(state, pause).windows[0]!.state).toBe('paused');
    expect(needsReload(state, pause)).toBe(true);
    const serving: HallEvent = { ...pause, data: { ...pause.data, state: 'serving', pauseReason: null } };
    expect(needsReload(state, serving)).toBe(false);
  });
});
