import type { EnrollProgress, ReaderFailure } from '../../core/fingerprint-reader-api.ts';
import type { KioskApi } from '../../core/kiosk-api.ts';
import type { HallKioskDb } from '../db/hall-kiosk-db.ts';

export type EnrolmentOutcome =
  | { ok: true; page: number; revision: number }
  | ReaderFailure
  /** the reader holds it, but the server did not take it: other kiosks will not know the finger */
  | { ok: false; kind: 'upload-failed'; text: { zh: string; en: string } };

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
 */
export async function enrolStaffFinger(
  db: HallKioskDb,
  kiosk: Pick<KioskApi, 'reader' | 'server' | 'events'>,
  who: { staffId: string; finger: number },
  onProgress: (progress: EnrollProgress) => void,
): Promise<EnrolmentOutcome> {
  const page = await freeReaderPage(db, kiosk);
  const off = kiosk.events.subscribe((event) => {
    if (event.type === 'reader-enroll' && event.progress.page === page) onProgress(event.progress);
  });
  let enrolled;
  try {
    enrolled = await kiosk.reader.enroll({ page, timeoutMs: 120_000 });
  } finally {
    off();
  }
  if (!enrolled.ok) return enrolled;
  const { template } = await kiosk.reader.uploadTemplate(page);
  const reply = await kiosk.server.request({ method: 'PUT', path: `/api/v1/staff/${encodeURIComponent(who.staffId)}/templates/${who.finger}`, body: { template } });
  const revision = 'body' in reply && reply.status === 200 ? (reply.body as { revision?: unknown }).revision : undefined;
  if (typeof revision !== 'number') {
    // Not kept half-enrolled: a template only this reader knows would sign in here and nowhere else.
    await kiosk.reader.delete(page);
    return { ok: false, kind: 'upload-failed', text: { zh: '指纹上传服务器失败，请检查网络后重新录入', en: 'Could not upload the fingerprint to the server; check the network and enrol again' } };
  }
  // Re-enrolled: the finger's old page would otherwise stay in the reader, owned by nobody.
  const previous = await db.readerSlots.get([who.staffId, who.finger]);
  if (previous && previous.page !== page) await kiosk.reader.delete(previous.page);
  await db.readerSlots.put({ staffId: who.staffId, finger: who.finger, page, revision });
  return { ok: true, page, revision };
}
