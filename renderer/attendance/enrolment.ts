import type { EnrollProgress, ReaderFailure } from '../../core/attendance/fingerprint-reader-api.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';

export type EnrolmentOutcome =
  | { ok: true; page: number; revision: number; replaced: boolean }
  | ReaderFailure
  /** the reader holds it, but the server did not take it: other kiosks will not know the finger */
  | { ok: false; kind: 'upload-failed'; text: LocalizedText }
  /** the finger is already another staff member's: `ownerStaffId` when this kiosk knows whose (for the admin screen only) */
  | { ok: false; kind: 'duplicate'; ownerStaffId: string | null; text: LocalizedText }
  /** the finger already had a template and staff chose not to replace it: nothing was touched */
  | { ok: false; kind: 'replace-declined'; text: LocalizedText };

const texts = {
  uploadFailed: { zh: '指纹上传服务器失败，请检查网络后重新录入', en: 'Could not upload the fingerprint to the server; check the network and enrol again' },
  // The server is reachable and said why: "check the network" would send staff the wrong way.
  noTemplateKey: {
    zh: '服务器未配置指纹模板密钥，无法保存指纹（不是网络问题），请联系系统管理员配置密钥后再录入',
    en: 'The server has no fingerprint template key, so it cannot store fingerprints (not a network problem); ask the system administrator to configure the key, then enrol again',
  },
  duplicate: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: 'This fingerprint is already enrolled for another staff member and cannot be enrolled again' },
  notAdmin: { zh: '打开维护界面的管理员已无管理员权限，请重新登录后再录入', en: 'The administrator who opened the staff screen is no longer an administrator; sign in again before enrolling' },
  declined: { zh: '未重新登记，原指纹保留', en: 'Not re-enrolled; the existing fingerprint is kept' },
  // The server takes a finger only under an admin's grant given on its own pages (the PIN is the kiosk's word).
  notGranted: {
    zh: '服务器未开通此人在本机录入指纹（或开通已过期）：请管理员在服务器“指纹登记记录”页面为该工作人员开通本机录入，再重新录入',
    en: 'The server has not allowed enrolling this person’s fingers at this kiosk (or the permission expired): an administrator opens it on the server’s fingerprint audit page, then enrol again',
  },
} satisfies Record<string, LocalizedText>;

/** The question asked before a finger that already has a template is enrolled again. */
export const replaceQuestion: LocalizedText = { zh: '该手指已登记，是否重新登记？', en: 'This finger is already enrolled. Enrol it again?' };

/** A reader page neither the reader nor this kiosk's slot map uses. */
export async function freeReaderPage(db: HallKioskDb, kiosk: Pick<KioskApi, 'reader'>): Promise<number> {
  const used = new Set([...(await kiosk.reader.pages()).pages, ...(await db.readerSlots.toArray()).map((s) => s.page)]);
  const size = (await kiosk.reader.status()).librarySize ?? 300;
  for (let page = 0; page < size; page++) if (!used.has(page)) return page;
  throw new Error('the fingerprint reader library is full');
}

/**
 * Enrols one finger of a staff member at this kiosk: guided captures into a free page, then the
 * template goes to the hall server (which hands it to every other kiosk) and the page is
 * remembered here, so the next roster pull does not download it a second time.
 *
 * One finger, one person (no 代签): a finger that already has a template is only enrolled again
 * once `confirmReplace` says yes; the reader refuses a finger it already holds on a page that is
 * not this member's own; and the server refuses one it holds for somebody else (the privileged
 * side tells it what the finger matched, whatever this page believes).
 */
export async function enrolStaffFinger(
  db: HallKioskDb,
  kiosk: Pick<KioskApi, 'reader' | 'server' | 'events'>,
  who: { staffId: string; finger: number },
  onProgress: (progress: EnrollProgress) => void,
  confirmReplace: () => Promise<boolean>,
): Promise<EnrolmentOutcome> {
  const previous = await db.readerSlots.get([who.staffId, who.finger]);
  if (previous && !(await confirmReplace())) return { ok: false, kind: 'replace-declined', text: texts.declined };
  const ownPages = (await db.readerSlots.toArray()).filter((slot) => slot.staffId === who.staffId).map((slot) => slot.page);
  const page = await freeReaderPage(db, kiosk);
  const off = kiosk.events.subscribe((event) => {
    if (event.type === 'reader-enroll' && event.progress.page === page) onProgress(event.progress);
  });
  let enrolled;
  try {
    enrolled = await kiosk.reader.enroll({ page, timeoutMs: 120_000, ownPages });
  } finally {
    off();
  }
  if (!enrolled.ok) {
    if (enrolled.kind !== 'duplicate') return enrolled;
    const owner = await db.readerSlots.where('page').equals(enrolled.page).first();
    return { ok: false, kind: 'duplicate', ownerStaffId: owner?.staffId ?? null, text: texts.duplicate };
  }
  const uploaded = await uploadEnrolled(kiosk, who, page);
  if (!uploaded.ok) {
    // Not kept half-enrolled: a template only this reader knows would sign in here and nowhere else.
    await kiosk.reader.delete(page);
    return uploaded;
  }
  // Re-enrolled: the finger's old page would otherwise stay in the reader, owned by nobody.
  if (previous && previous.page !== page) await kiosk.reader.delete(previous.page);
  await db.readerSlots.put({ staffId: who.staffId, finger: who.finger, page, revision: uploaded.revision });
  return { ok: true, page, revision: uploaded.revision, replaced: previous !== undefined };
}

async function uploadEnrolled(kiosk: Pick<KioskApi, 'reader' | 'server'>, who: { staffId: string; finger: number }, page: number): Promise<{ ok: true; revision: number } | Exclude<EnrolmentOutcome, { ok: true }>> {
  const { template } = await kiosk.reader.uploadTemplate(page);
  let reply;
  try {
    reply = await kiosk.server.request({ method: 'PUT', path: `/api/v1/staff/${encodeURIComponent(who.staffId)}/templates/${who.finger}`, body: { template } });
  } catch {
    // The privileged side refused to send it (no session any more, say): same as not taken.
    return { ok: false, kind: 'upload-failed', text: texts.uploadFailed };
  }
  const body = 'body' in reply ? (reply.body as { revision?: unknown; error?: { code?: unknown; message?: unknown } } | null) : null;
  if (reply.status === 200 && typeof body?.revision === 'number') return { ok: true, revision: body.revision };
  // The server knows whose it is; this kiosk's slot map did not (the page matched was no slot of it).
  if (reply.status === 409 && body?.error?.code === 'duplicate-finger') return { ok: false, kind: 'duplicate', ownerStaffId: null, text: texts.duplicate };
  if (reply.status === 503 && body?.error?.code === 'templates-disabled') return { ok: false, kind: 'upload-failed', text: texts.noTemplateKey };
  if (reply.status === 403 && body?.error?.code === 'not-an-admin') return { ok: false, kind: 'upload-failed', text: texts.notAdmin };
  if (reply.status === 403 && body?.error?.code === 'enrolment-not-granted') return { ok: false, kind: 'upload-failed', text: texts.notGranted };
  return { ok: false, kind: 'upload-failed', text: texts.uploadFailed };
}
