import { describe, expect, it } from 'vitest';
import { announcementOf, missedCallAnnounceMs, newDisplaySchema, shouldAnnounce } from '../../../core/display/display.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';

const call = (id: number, at: number, kind: 'call' | 'recall' | 'call-back' = 'call'): HallEvent => ({
  id,
  at,
  kind: 'call',
  department: 'market',
  data: { legId: `l${id}`, ticketId: `t${id}`, label: 'A001', serviceId: 'biz', window: 12, windowName: '12号窗口', call: kind, calls: 1 },
});

describe('what a display announces', () => {
  it('a call made within the last 30 s by the server clock, not an older one', () => {
    expect(shouldAnnounce(call(1, 1_000), 1_000 + missedCallAnnounceMs)).toBe(true);
    expect(shouldAnnounce(call(1, 1_000), 1_001 + missedCallAnnounceMs)).toBe(false);
  });

  it('only calls: a window or queue event is never announced', () => {
    const event: HallEvent = { id: 2, at: 0, kind: 'window', department: 'market', data: { window: 1, state: 'idle', pauseReason: null, legId: null, label: null } };
    expect(shouldAnnounce(event, 0)).toBe(false);
  });

  it('the announcement carries the call id, number and window; a recall says so, a call-back does not', () => {
    expect(announcementOf(call(7, 0) as HallEvent & { kind: 'call' })).toEqual({ callId: '7', ticketLabel: 'A001', windowNumber: 12, windowName: '12号窗口', recall: false });
    expect(announcementOf(call(8, 0, 'recall') as HallEvent & { kind: 'call' }).recall).toBe(true);
    expect(announcementOf(call(9, 0, 'call-back') as HallEvent & { kind: 'call' }).recall).toBe(false);
  });
});

describe('a display as the hall office sets it up', () => {
  it('a window display names its window, a hall display none', () => {
    expect(newDisplaySchema.safeParse({ name: '3号窗口屏', kind: 'window', window: 3 }).success).toBe(true);
    expect(newDisplaySchema.safeParse({ name: '3号窗口屏', kind: 'window' }).success).toBe(false);
    expect(newDisplaySchema.safeParse({ name: '一楼', kind: 'hall', window: 3 }).success).toBe(false);
    expect(newDisplaySchema.parse({ name: ' 一楼 ', kind: 'hall', zone: ['market'] })).toEqual({ name: '一楼', kind: 'hall', window: null, zone: ['market'] });
  });
});
