import type { RosterPull, TemplateRef } from '../../core/attendance/roster.ts';
import type { Logger } from './logger.ts';
import type { ReaderService } from './reader-service.ts';
import type { ReaderSlot, StaffDirectory } from './staff-directory.ts';

/** What the library needs of the reader; ReaderService is the real one. */
export type LibraryReader = Pick<ReaderService, 'status' | 'pages' | 'storeTemplate' | 'delete'>;

/** A template's bytes as the hall server holds them now (base64), with their revision. */
export type TemplateDownload = (ref: TemplateRef) => Promise<{ revision: number; template: string }>;

/** The reader cannot take templates now (unplugged, not started): the pull is applied again later. */
export class ReaderLibraryUnavailable extends Error {
  override readonly name = 'ReaderLibraryUnavailable';
}

/** Libraries report their size once connected; this is the smallest AS608-family module's. */
const fallbackLibrarySize = 300;

/**
 * This kiosk's reader library, kept in step with the roster: the pulled templates go into free
 * pages and the slot map (StaffDirectory) says whose each page is; removed ones leave the reader.
 * The library is the privileged side's alone — nothing else writes it — so on a whole-roster
 * answer a page the slot map does not name (left from another kiosk's reader, or from before a
 * crash) is cleared. One change at a time: a pull being applied, and an enrolment reserving and
 * then keeping its page, never interleave.
 */
export class ReaderLibrary {
  private queue: Promise<unknown> = Promise.resolve();
  /** pages an enrolment in progress may fill: never given out, never cleared as strays */
  private readonly reserved = new Set<number>();
  /** the slot map has been checked against the reader since it was (re)connected */
  private checked = false;

  constructor(private readonly options: { directory: StaffDirectory; reader: LibraryReader | null; logger: Logger }) {}

  /**
   * The reader was moved to another port: its library is not the one the slot map describes. The
   * map and the roster position are forgotten, so the next pull brings everything into it.
   */
  readerMoved(): Promise<void> {
    return this.exclusive(async () => {
      this.options.directory.forgetSlots();
      this.checked = false;
    });
  }

  /** The reader (re)connected: it may be another module, or one that lost its library. */
  readerReconnected(): void {
    this.checked = false;
  }

  /**
   * Before a pull: a page the slot map names but the reader no longer holds (the module was
   * swapped or emptied, a demo's simulated one restarted) is forgotten, and so is the roster
   * position, so the pull brings everything and the missing templates go back in. Nothing to do
   * while the reader is away.
   */
  verify(): Promise<void> {
    return this.exclusive(async () => {
      const { reader, directory, logger } = this.options;
      if (this.checked || !reader || reader.status().state !== 'connected') return;
      const occupied = new Set(await reader.pages());
      const lost = directory.slots().filter((slot) => !occupied.has(slot.page));
      for (const slot of lost) directory.removeSlot(slot.staffId, slot.finger);
      if (lost.length > 0) {
        logger.warn({ lost: lost.length }, 'the fingerprint reader no longer holds pages the kiosk put there; pulling the whole roster again');
        directory.setCursor(null);
      }
      this.checked = true;
    });
  }

  /**
   * Applies a pulled roster: the members, then the reader (deletions first, then each changed
   * template downloaded and stored), then the cursor. Each slot is kept as soon as its page is
   * written, and the cursor only at the end, so a failure half-way (server gone, reader
   * unplugged) is resumed by the next pull from where this one started.
   */
  apply(roster: RosterPull, download: TemplateDownload): Promise<{ stored: number; deleted: number }> {
    return this.exclusive(async () => {
      const { reader, directory } = this.options;
      directory.applyMembers(roster.full, roster.members);
      if (!reader) {
        // No reader on this kiosk: the roster is all there is to keep.
        directory.setCursor(roster.cursor);
        return { stored: 0, deleted: 0 };
      }
      if (reader.status().state !== 'connected') throw new ReaderLibraryUnavailable('the fingerprint reader is not connected; its templates are brought up to date when it is back');

      const wanted = new Map(roster.templates.map((t) => [keyOf(t.staffId, t.finger), t]));
      const removed = new Set(roster.removedTemplates.map((r) => keyOf(r.staffId, r.finger)));
      const occupied = new Set(await reader.pages());
      let deleted = 0;
      for (const slot of directory.slots()) {
        const key = keyOf(slot.staffId, slot.finger);
        if (roster.full ? wanted.has(key) : !removed.has(key)) continue;
        if (occupied.delete(slot.page)) await reader.delete(slot.page);
        directory.removeSlot(slot.staffId, slot.finger);
        deleted += 1;
      }
      if (roster.full) {
        const named = new Set(directory.slots().map((s) => s.page));
        for (const page of [...occupied]) {
          if (named.has(page) || this.reserved.has(page)) continue;
          await reader.delete(page);
          occupied.delete(page);
          deleted += 1;
        }
      }

      const due = [...wanted.values()].filter((ref) => (directory.slotOf(ref.staffId, ref.finger)?.revision ?? 0) < ref.revision);
      let stored = 0;
      for (const ref of due) {
        const { revision, template } = await download(ref);
        const page = directory.slotOf(ref.staffId, ref.finger)?.page ?? this.freePage(occupied);
        occupied.add(page);
        await reader.storeTemplate(page, template);
        directory.putSlot({ staffId: ref.staffId, finger: ref.finger, page, revision });
        stored += 1;
      }
      directory.setCursor(roster.cursor);
      return { stored, deleted };
    });
  }

  /** A free page for an enrolment, held for it until keepEnrolled or releaseEnrolment. */
  reservePage(): Promise<number> {
    return this.exclusive(async () => {
      const reader = this.requireReader();
      const page = this.freePage(new Set(await reader.pages()));
      this.reserved.add(page);
      return page;
    });
  }

  /** The enrolment at `slot.page` was uploaded: the slot is kept, and a finger enrolled again leaves its old page. */
  keepEnrolled(slot: ReaderSlot): Promise<void> {
    return this.exclusive(async () => {
      const { directory } = this.options;
      const previous = directory.slotOf(slot.staffId, slot.finger);
      directory.putSlot(slot);
      this.reserved.delete(slot.page);
      if (previous && previous.page !== slot.page) await this.requireReader().delete(previous.page);
    });
  }

  /** The enrolment at `page` is not kept: its page is cleared (when something was stored there) and free again. */
  releaseEnrolment(page: number, stored: boolean): Promise<void> {
    return this.exclusive(async () => {
      try {
        if (stored) await this.requireReader().delete(page);
      } finally {
        this.reserved.delete(page);
      }
    });
  }

  private freePage(occupied: ReadonlySet<number>): number {
    const taken = new Set([...occupied, ...this.options.directory.slots().map((s) => s.page), ...this.reserved]);
    const size = this.options.reader?.status().librarySize ?? fallbackLibrarySize;
    for (let page = 0; page < size; page++) if (!taken.has(page)) return page;
    throw new Error('the fingerprint reader library is full');
  }

  private requireReader(): LibraryReader {
    if (!this.options.reader) throw new Error('this kiosk has no fingerprint reader');
    return this.options.reader;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

const keyOf = (staffId: string, finger: number) => `${staffId}#${finger}`;
