import { describe, expect, it } from 'vitest';
import type { ReaderStatusReport } from '../../../core/attendance/fingerprint-reader-api.ts';
import type { KioskEvent } from '../../../core/kiosk/kiosk-api.ts';
import { watchReaderReadiness, type ReaderReadiness } from '../../../renderer/attendance/reader-readiness.ts';

/** The kiosk API's reader status and event stream, driven by the test. */
function fakeKiosk(initial: Promise<ReaderStatusReport>) {
  const listeners = new Set<(event: KioskEvent) => void>();
  return {
    kiosk: {
      reader: { status: () => initial },
      events: {
        subscribe(listener: (event: KioskEvent) => void) {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    } as unknown as Parameters<typeof watchReaderReadiness>[0],
    emit(status: ReaderStatusReport) {
      for (const listener of listeners) listener({ type: 'reader-status', status });
    },
    listeners,
  };
}

describe('reader readiness on the sign-in screen', () => {
  it('a reader disconnected at start, then plugged in, then pulled out again', async () => {
    const { kiosk, emit } = fakeKiosk(Promise.resolve({ state: 'disconnected', simulated: false }));
    const seen: ReaderReadiness[] = [];
    watchReaderReadiness(kiosk, (r) => seen.push(r));
    await Promise.resolve();
    await Promise.resolve();
    expect(seen).toEqual(['disconnected']);
    emit({ state: 'connected', simulated: false });
    emit({ state: 'disconnected', simulated: false, text: { zh: '指纹仪无响应', en: 'no answer' } });
    expect(seen).toEqual(['disconnected', 'ready', 'disconnected']);
  });

  it('a status change heard before the first answer wins over that older answer; a failed status call counts as disconnected', async () => {
    let answer!: (status: ReaderStatusReport) => void;
    const late = fakeKiosk(new Promise((resolve) => (answer = resolve)));
    const seen: ReaderReadiness[] = [];
    const stop = watchReaderReadiness(late.kiosk, (r) => seen.push(r));
    late.emit({ state: 'disconnected', simulated: false });
    answer({ state: 'connected', simulated: false });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['disconnected']);
    stop();
    expect(late.listeners.size).toBe(0);

    const failing = fakeKiosk(Promise.reject(new Error('no kiosk api')));
    const seenFailing: ReaderReadiness[] = [];
    watchReaderReadiness(failing.kiosk, (r) => seenFailing.push(r));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seenFailing).toEqual(['disconnected']);
  });
});
