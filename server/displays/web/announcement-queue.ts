import type { Announcement } from '../../../core/display/display.ts';

/**
 * A display's announcements, one at a time, in the order the calls were made: the next waits
 * until the one playing has finished (never cut off), and a call already announced (the same
 * callId, delivered twice by a replay overlapping a refresh) is not announced again. A recall has
 * its own callId and is announced again. `speak` is the voice engine: until one is plugged in, a
 * silent speaker (silentSpeaker) stands in.
 */

export type Speak = (announcement: Announcement) => Promise<void>;

export interface AnnouncedRecord {
  callId: string;
  ticketLabel: string;
  windowNumber: number;
  recall: boolean;
  /** the speaker failed: the announcement was skipped, the next one goes on */
  failed?: true;
}

export class AnnouncementQueue {
  private readonly waiting: Announcement[] = [];
  private readonly seen = new Set<string>();
  private readonly done: AnnouncedRecord[] = [];
  private playing = false;
  private idle: Array<() => void> = [];

  constructor(
    private readonly speak: Speak,
    private readonly onChange: (record: readonly AnnouncedRecord[], current: Announcement | null) => void = () => undefined,
    /** calls announced before this page was loaded (a reload): not announced again */
    announcedBefore: Iterable<string> = [],
  ) {
    for (const callId of announcedBefore) this.seen.add(callId);
  }

  /** Queues an announcement unless its call was queued before; answers whether it was queued. */
  enqueue(announcement: Announcement): boolean {
    if (this.seen.has(announcement.callId)) return false;
    this.seen.add(announcement.callId);
    this.waiting.push(announcement);
    if (!this.playing) void this.play();
    return true;
  }

  /** What has been announced, oldest first. */
  record(): readonly AnnouncedRecord[] {
    return this.done;
  }

  /** Settles when nothing is waiting or playing. */
  whenIdle(): Promise<void> {
    if (!this.playing && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async play(): Promise<void> {
    this.playing = true;
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      this.onChange(this.done, next);
      const entry: AnnouncedRecord = { callId: next.callId, ticketLabel: next.ticketLabel, windowNumber: next.windowNumber, recall: next.recall };
      try {
        await this.speak(next);
      } catch {
        // A speaker that fails must not silence every call after it.
        entry.failed = true;
      }
      this.done.push(entry);
      this.onChange(this.done, null);
    }
    this.playing = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** Stands in for the voice engine: says nothing for as long as an announcement would take. */
export function silentSpeaker(durationMs: number, wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Speak {
  return () => wait(durationMs);
}
