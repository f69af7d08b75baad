import type { EnrollProgress } from '../../core/attendance/fingerprint-reader-api.ts';
import type { EnrolFingerOutcome } from '../../core/attendance/staff-api.ts';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { LocalizedText } from '../../core/text/localized.ts';

export type EnrolmentOutcome =
  | EnrolFingerOutcome
  /** the finger already had a template and staff chose not to replace it: nothing was touched */
  | { ok: false; kind: 'replace-declined'; text: LocalizedText };

const texts = {
  declined: { zh: '未重新登记，原指纹保留', en: 'Not re-enrolled; the existing fingerprint is kept' },
} satisfies Record<string, LocalizedText>;

/** The question asked before a finger that already has a template is enrolled again. */
export const replaceQuestion: LocalizedText = { zh: '该手指已登记，是否重新登记？', en: 'This finger is already enrolled. Enrol it again?' };

/**
 * Enrols one finger of a staff member at this kiosk (staff.enrolFinger): the privileged side
 * picks the reader page, guides the captures (reported here through `onProgress`), uploads the
 * template to the hall server and keeps the slot; this screen only names who and which finger.
 * A finger that already has a template is enrolled again only once `confirmReplace` says yes.
 */
export async function enrolStaffFinger(
  kiosk: Pick<KioskApi, 'staff' | 'events'>,
  who: { staffId: string; finger: number },
  onProgress: (progress: EnrollProgress) => void,
  confirmReplace: () => Promise<boolean>,
): Promise<EnrolmentOutcome> {
  const enrol = async (replace: boolean) => {
    // One enrolment at a time on the kiosk: every step reported while it runs is this one's.
    const off = kiosk.events.subscribe((event) => {
      if (event.type === 'reader-enroll') onProgress(event.progress);
    });
    try {
      return await kiosk.staff.enrolFinger({ ...who, replace });
    } finally {
      off();
    }
  };
  const first = await enrol(false);
  if (first.ok || first.kind !== 'already-enrolled') return first;
  if (!(await confirmReplace())) return { ok: false, kind: 'replace-declined', text: texts.declined };
  return enrol(true);
}
