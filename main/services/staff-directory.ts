import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { IdentifyResult } from '../../core/attendance/fingerprint-reader-api.ts';
import { staffMemberSchema, type StaffMember } from '../../core/attendance/roster.ts';
import type { StaffTouch } from '../../core/attendance/staff-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { Logger } from './logger.ts';

/** Which reader page holds which finger of whom, and the template revision stored there. */
export interface ReaderSlot {
  staffId: string;
  finger: number;
  page: number;
  revision: number;
}

const slotSchema = z.object({ staffId: z.string(), finger: z.int().min(0).max(9), page: z.int().nonnegative(), revision: z.int().positive() });
const rosterFileSchema = z.object({ version: z.literal(1), cursor: z.string().nullable(), members: z.array(staffMemberSchema) });
const slotsFileSchema = z.object({ version: z.literal(1), slots: z.array(slotSchema) });

const texts = {
  notRecognised: { zh: '未能识别，请重试或联系管理员', en: 'Not recognised. Try again or ask an administrator' },
} satisfies Record<string, LocalizedText>;

export interface StaffDirectoryFiles {
  /** the roster and the pull cursor */
  roster: string;
  /** the reader's slot map */
  slots: string;
}

/**
 * The staff roster and this kiosk's reader slot map, as the privileged side pulled and applied
 * them: who a finger on the reader is. Kept in the data dir (names and windows of staff, never a
 * template), so a kiosk that is offline after a restart still signs staff in with what it last
 * pulled. Only the privileged side writes it: PrivilegedSync with each pull, ReaderLibrary as the
 * reader's pages change.
 */
export class StaffDirectory {
  private members = new Map<string, StaffMember>();
  private slotsByKey = new Map<string, ReaderSlot>();
  private rosterCursor: string | null = null;
  private rosterKnown = false;

  /** `files`: where to keep it; null keeps it for this run only (tests, a kiosk without a data dir) */
  constructor(
    private readonly files: StaffDirectoryFiles | null,
    private readonly logger: Logger,
  ) {
    if (!files) return;
    const roster = readJson(files.roster, rosterFileSchema, logger, 'staff roster');
    if (roster) {
      this.rosterKnown = true;
      this.rosterCursor = roster.cursor;
      for (const member of roster.members) this.members.set(member.id, member);
    }
    const slots = readJson(files.slots, slotsFileSchema, logger, 'reader slot map');
    for (const slot of slots?.slots ?? []) this.slotsByKey.set(keyOf(slot.staffId, slot.finger), slot);
    // One without the other is a half-kept state: the next pull brings everything, and the reader
    // is filled again from it.
    if (!roster || !slots) {
      this.slotsByKey.clear();
      this.rosterCursor = null;
    }
  }

  /** A roster was pulled at least once: its answers stand, offline too. */
  get known(): boolean {
    return this.rosterKnown;
  }

  /** Where the next privileged pull starts; null: from the beginning (the whole roster). */
  get cursor(): string | null {
    return this.rosterCursor;
  }

  member(staffId: string): StaffMember | undefined {
    return this.members.get(staffId);
  }

  /** Active members, by name as the hall sorts it. */
  activeMembers(): StaffMember[] {
    return [...this.members.values()].filter((m) => m.active).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  }

  slots(): ReaderSlot[] {
    return [...this.slotsByKey.values()];
  }

  slotOf(staffId: string, finger: number): ReaderSlot | undefined {
    return this.slotsByKey.get(keyOf(staffId, finger));
  }

  slotAt(page: number): ReaderSlot | undefined {
    for (const slot of this.slotsByKey.values()) if (slot.page === page) return slot;
    return undefined;
  }

  /** The active member whose finger the reader found at `page`, or null: a page this kiosk did not fill, or a member since removed. */
  ownerOf(page: number): StaffMember | null {
    const slot = this.slotAt(page);
    const member = slot ? this.members.get(slot.staffId) : undefined;
    return member?.active ? member : null;
  }

  /** What the page hears of a press: who it was, never which page or template. */
  touchOf(found: IdentifyResult): StaffTouch {
    if (!found.ok) return found;
    const staff = this.ownerOf(found.page);
    return staff ? { ok: true, staff, score: found.score } : { ok: false, kind: 'not-recognised', text: texts.notRecognised };
  }

  /** A pull's members: all of them (`full`), or the changed ones merged by id. Saved with the cursor later (setCursor). */
  applyMembers(full: boolean, members: readonly StaffMember[]): void {
    if (full) this.members.clear();
    for (const member of members) this.members.set(member.id, member);
    this.rosterKnown = true;
    this.saveRoster();
  }

  /** Everything of a pull is applied: the next one starts here. null: the next one brings everything. */
  setCursor(cursor: string | null): void {
    this.rosterCursor = cursor;
    // Both files, so that a cursor on disk always comes with the slot map it was reached with.
    this.saveSlots();
    this.saveRoster();
  }

  putSlot(slot: ReaderSlot): void {
    this.slotsByKey.set(keyOf(slot.staffId, slot.finger), slot);
    this.saveSlots();
  }

  removeSlot(staffId: string, finger: number): void {
    if (this.slotsByKey.delete(keyOf(staffId, finger))) this.saveSlots();
  }

  /** The reader is another library now (moved, replaced, emptied): no slot holds, and the next pull brings everything. */
  forgetSlots(): void {
    this.slotsByKey.clear();
    this.rosterCursor = null;
    this.saveSlots();
    this.saveRoster();
  }

  private saveRoster(): void {
    if (this.files) writeJson(this.files.roster, { version: 1, cursor: this.rosterCursor, members: [...this.members.values()] }, this.logger, 'staff roster');
  }

  private saveSlots(): void {
    if (this.files) writeJson(this.files.slots, { version: 1, slots: this.slots() }, this.logger, 'reader slot map');
  }
}

const keyOf = (staffId: string, finger: number) => `${staffId}#${finger}`;

function readJson<T>(file: string, schema: z.ZodType<T>, logger: Logger, what: string): T | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // none kept yet
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: as good as damaged
  }
  logger.warn({ file }, `the kept ${what} is not valid; starting over from the next pull`);
  return null;
}

function writeJson(file: string, value: unknown, logger: Logger, what: string): void {
  try {
    // Written aside and renamed, so a power cut leaves the old file or the new one. Staff names
    // are personal data: nobody else on the machine reads them.
    writeFileSync(`${file}.tmp`, JSON.stringify(value), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    logger.warn({ err: error }, `could not keep the ${what} on disk; it is used for this run`);
  }
}
