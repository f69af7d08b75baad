import type { FingerEntry } from '../../core/kiosk/kiosk-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { Logger } from './logger.ts';
import type { PinService } from './pin-service.ts';
import type { ReaderService } from './reader-service.ts';
import type { StaffDirectory } from './staff-directory.ts';

const texts = {
  notRecognised: { zh: '未能识别该指纹，请使用管理员指纹或输入密码', en: 'Fingerprint not recognised. Use an administrator’s finger or the PIN' },
  notAdmin: { zh: '该指纹不是管理员指纹，无法进入维护界面', en: 'This is not an administrator’s fingerprint; the maintenance screen stays closed' },
  cannotCheck: { zh: '暂时无法核对管理员身份，请输入密码进入', en: 'Cannot check administrators right now; please enter the PIN' },
} satisfies Record<string, LocalizedText>;

export interface AdminFingerEntryOptions {
  reader: Pick<ReaderService, 'identify'>;
  directory: Pick<StaffDirectory, 'known' | 'slotAt' | 'member'>;
  /**
   * The privileged pull, now (PrivilegedSync.pullNow): an admin demoted at the hall server is
   * refused at the next finger, not at the next round. Offline, the roster last pulled decides.
   */
  refresh: () => Promise<unknown>;
  pins: Pick<PinService, 'status' | 'admitFinger'>;
  logger: Logger;
  /** how long a person at the reader waits for that pull before the roster held decides */
  refreshWaitMs?: number;
}

/**
 * The staff screen opened by an admin's finger (staff.verifyFinger). Everything is decided here on
 * the privileged side: the reader names a library page, the slot map this side keeps says whose
 * finger that is, the roster this side pulled says whether they are an active admin, and
 * PinService opens the session or counts the refusal toward the PIN's lockout. The renderer only
 * learns the outcome.
 */
export class AdminFingerEntry {
  constructor(private readonly options: AdminFingerEntryOptions) {}

  async enter(request: { timeoutMs: number }): Promise<FingerEntry> {
    const { reader, directory, pins, logger } = this.options;
    const locked = pins.status();
    if (!locked.ok) return locked;
    const found = await reader.identify(request);
    if (!found.ok) {
      if (found.kind === 'not-recognised') return this.refused('not-recognised', texts.notRecognised, await pins.admitFinger(null));
      if (found.kind === 'timeout' || found.kind === 'cancelled') return { ok: false, refused: 'no-finger' };
      return { ok: false, refused: 'unavailable', text: found.text };
    }
    // Whose page it was when the finger was searched: the pull below may move pages about.
    const slot = directory.slotAt(found.page);
    await this.refreshed();
    if (!directory.known) return { ok: false, refused: 'unavailable', text: texts.cannotCheck };
    const after = directory.slotAt(found.page);
    const member = slot && after?.staffId === slot.staffId && after.finger === slot.finger ? directory.member(slot.staffId) : undefined;
    if (!member?.active) return this.refused('not-recognised', texts.notRecognised, await pins.admitFinger(null));
    const admin = member.role === 'admin' ? member.id : null;
    const check = await pins.admitFinger(admin);
    if (check.ok) logger.info({ staffId: admin, via: 'fingerprint' }, 'staff screen opened by an admin fingerprint');
    // An admin's finger that met a lockout set meanwhile is locked out, not "not an admin".
    if (check.ok || admin !== null) return check;
    return this.refused('not-admin', texts.notAdmin, check);
  }

  private async refreshed(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.refreshWaitMs ?? 5_000);
    });
    try {
      await Promise.race([this.options.refresh().catch(() => undefined), waited]);
    } finally {
      clearTimeout(timer);
    }
  }

  private refused(reason: 'not-recognised' | 'not-admin', text: LocalizedText, check: FingerEntry): FingerEntry {
    // No name, no page, no template: which person tried is not the log's business.
    this.options.logger.warn({ reason, via: 'fingerprint', locked: check.retryAfterSeconds !== undefined }, 'staff screen refused a fingerprint');
    return { ...check, refused: reason, text };
  }
}
