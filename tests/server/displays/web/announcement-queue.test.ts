import { describe, expect, it } from 'vitest';
import type { Announcement } from '../../../../core/display/display.ts';
import { AnnouncementQueue, silentSpeaker } from '../../../../server/displays/web/announcement-queue.ts';

const a = (callId: string, recall = false): Announcement => ({ callId, ticketLabel: `A00${callId}`, windowNumber: Number(callId), recall });

/** A speaker whose announcements end when the test says: shows what overlaps and what waits. */
function manualSpeaker() {
  const started: string[] = [];
  const finish: Array<() => void> = [];
  return {
    started,
    speak: (announcement: Announcement) => {
      started.push(announcement.callId);
      return new Promise<void>((resolve) => finish.push(resolve));
    },
    finishOne: async () => {
      finish.shift()!();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('the announcement queue', () => {
  it('one at a time, in order: the next starts only when the one playing has finished', async () => {
    const speaker = manualSpeaker();
    const queue = new AnnouncementQueue(speaker.speak);
    queue.enqueue(a('1'));
    queue.enqueue(a('2'));
    queue.enqueue(a('3'));
    expect(speaker.started).toEqual(['1']);
    await speaker.finishOne();
    expect(speaker.started).toEqual(['1', '2']);
    expect(queue.record().map((r) => r.callId)).toEqual(['1']);
    await speaker.finishOne();
    await speaker.finishOne();
    expect(queue.record().map((r) => r.callId)).toEqual(['1', '2', '3']);
  });

  it('a call delivered twice (a replay overlapping a reload) is announced once; a recall, a new call id, again', async () => {
    const queue = new AnnouncementQueue(silentSpeaker(0, async () => undefined));
    expect(queue.enqueue(a('1'))).toBe(true);
    expect(queue.enqueue(a('1'))).toBe(false);
    expect(queue.enqueue({ ...a('4'), ticketLabel: 'A001', recall: true })).toBe(true);
    await queue.whenIdle();
    expect(queue.record()).toEqual([
      { callId: '1', ticketLabel: 'A001', windowNumber: 1, recall: false },
      { callId: '4', ticketLabel: 'A001', windowNumber: 4, recall: true },
    ]);
  });

  it('a speaker that fails is recorded as failed and the next announcement still plays', async () => {
    let n = 0;
    const queue = new AnnouncementQueue(async () => {
      if (n++ === 0) throw new Error('no audio device');
    });
    queue.enqueue(a('1'));
    queue.enqueue(a('2'));
    await queue.whenIdle();
    expect(queue.record()).toEqual([
      { callId: '1', ticketLabel: 'A001', windowNumber: 1, recall: false, failed: true },
      { callId: '2', ticketLabel: 'A002', windowNumber: 2, recall: false },
    ]);
  });

  it('tells the page what is playing and what has been announced', async () => {
    const seen: Array<[string[], string | null]> = [];
    const queue = new AnnouncementQueue(silentSpeaker(0, async () => undefined), (record, current) => seen.push([record.map((r) => r.callId), current?.callId ?? null]));
    queue.enqueue(a('1'));
    await queue.whenIdle();
    expect(seen).toEqual([
      [[], '1'],
      [['1'], null],
    ]);
  });
});
