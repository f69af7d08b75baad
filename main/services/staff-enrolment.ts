import type { EnrollProgress } from '../../core/attendance/fingerprint-reader-api.ts';
import { deviceRequestOf } from '../../core/http/central-server-request.ts';
import { hallApi } from '../../core/http/contract.ts';
import type { EnrolmentAuthoriser } from '../../core/attendance/roster.ts';
import type { EnrolFingerOutcome, EnrolFingerRequest, EnrolmentFailure } from '../../core/attendance/staff-api.ts';
import { isServerFailure, type ServerReply } from '../../core/http/central-server-request.ts';
import type { LocalizedText } from '../../core/text/localized.ts';
import type { CentralServerClient } from './central-server-client.ts';
import type { Logger } from './logger.ts';
import type { ReaderLibrary } from './reader-library.ts';
import type { ReaderService } from './reader-service.ts';
import type { StaffDirectory } from './staff-directory.ts';

const texts = {
  uploadFailed: { zh: '指纹上传服务器失败，请检查网络后重新录入', en: 'Could not upload the fingerprint to the server; check the network and enrol again' },
  // The server is reachable and said why: "check the network" would send staff the wrong way.
  noTemplateKey: {
    zh: '服务器未配置指纹模板密钥，无法保存指纹（不是网络问题），请联系系统管理员配置密钥后再录入',
    en: 'The server has no fingerprint template key, so it cannot store fingerprints (not a network problem); ask the system administrator to configure the key, then enrol again',
  },
  duplicate: { zh: '此指纹已登记为其他工作人员，不能重复登记', en: 'This fingerprint is already enrolled for another staff member and cannot be enrolled again' },
  notAdmin: { zh: '打开维护界面的管理员已无管理员权限，请重新登录后再录入', en: 'The administrator who opened the staff screen is no longer an administrator; sign in again before enrolling' },
  sessionEnded: { zh: '维护界面已退出，指纹未保存，请重新登录后再录入', en: 'The staff screen was signed out, so the fingerprint was not kept; sign in again and enrol again' },
  alreadyEnrolled: { zh: '该手指已登记', en: 'This finger is already enrolled' },
  unknownStaff: { zh: '名单中没有这位工作人员，请先同步名单', en: 'This staff member is not on the roster; sync the roster first' },
} satisfies Record<string, LocalizedText>;

/** How long the whole guided capture may take: a person following prompts, with retries. */
const enrolmentTimeoutMs = 120_000;

export interface StaffEnrolmentOptions {
  directory: Pick<StaffDirectory, 'member' | 'slotOf' | 'slotAt' | 'slots'>;
  library: Pick<ReaderLibrary, 'reservePage' | 'keepEnrolled' | 'releaseEnrolment'>;
  reader: Pick<ReaderService, 'enroll' | 'uploadTemplate'>;
  server: Pick<CentralServerClient, 'request'>;
  /** who opened the staff session now open (PinService.authoriser); null when none is */
  authoriser(): EnrolmentAuthoriser | null;
  logger: Logger;
}

/**
 * Fingerprint enrolment (指纹录入), all on the privileged side: a free page of this kiosk's reader,
 * the guided captures, the template read back and uploaded to the hall server with who opened the
 * staff session and what the finger matched, and only then the slot kept. The page names the
 * person and the finger and hears the outcome; no template passes through it.
 *
 * One finger, one person (no 代签): a finger that already has a template is only enrolled again
 * with `replace`; the reader refuses a finger it holds on a page that is not this person's own;
 * and the server refuses one it holds for somebody else, told what the finger matched here.
 */
export class StaffEnrolment {
  constructor(private readonly options: StaffEnrolmentOptions) {}

  async enrol(request: Required<EnrolFingerRequest>, onProgress: (progress: EnrollProgress) => void): Promise<EnrolFingerOutcome> {
    const { directory, library, reader, logger } = this.options;
    const { staffId, finger } = request;
    const authorisedBy = this.options.authoriser();
    if (!authorisedBy) return refused('upload-failed', texts.sessionEnded);
    if (!directory.member(staffId)?.active) return refused('unknown-staff', texts.unknownStaff);
    const previous = directory.slotOf(staffId, finger);
    if (previous && !request.replace) return refused('already-enrolled', texts.alreadyEnrolled);

    // The person's other fingers (and the one being replaced) may match; anyone else's may not.
    const ownPages = directory.slots().filter((slot) => slot.staffId === staffId).map((slot) => slot.page);
    const page = await library.reservePage();
    let stored = false;
    let kept = false;
    try {
      const enrolled = await reader.enroll({ page, timeoutMs: enrolmentTimeoutMs, ownPages }, onProgress);
      if (!enrolled.ok) {
        if (enrolled.kind !== 'duplicate') return enrolled;
        // The admin screen may say whose finger it is; the log never does.
        return { ok: false, kind: 'duplicate', ownerStaffId: directory.slotAt(enrolled.page)?.staffId ?? null, text: texts.duplicate };
      }
      stored = true;
      // Uploaded under the session that began it, or not at all.
      if (!sameAuthoriser(this.options.authoriser(), authorisedBy)) return refused('upload-failed', texts.sessionEnded);
      const template = await reader.uploadTemplate(page);
      const matchedTemplate = enrolled.matchedPage === null ? undefined : await reader.uploadTemplate(enrolled.matchedPage);
      const reply = await this.options.server.request(
        deviceRequestOf(hallApi.templateUpload, { params: { staffId, finger }, body: { template, format: 'as608-char', authorisedBy, ...(matchedTemplate ? { matchedTemplate } : {}) } }),
      );
      const uploaded = uploadOutcome(reply);
      // Not kept half-enrolled: a template only this reader knows would sign in here and nowhere else.
      if (!uploaded.ok) return uploaded;
      await library.keepEnrolled({ staffId, finger, page, revision: uploaded.revision });
      kept = true;
      // By staff id and finger, as the server logs it; never a name or a template.
      logger.info({ staffId, finger, replaced: previous !== undefined, via: authorisedBy.method }, 'fingerprint enrolled');
      return { ok: true, revision: uploaded.revision, replaced: previous !== undefined };
    } finally {
      if (!kept) await library.releaseEnrolment(page, stored).catch((error: unknown) => logger.warn({ err: error }, 'could not clear an enrolment that was not kept from the reader'));
    }
  }
}

function refused(kind: 'upload-failed' | 'already-enrolled' | 'unknown-staff', text: LocalizedText): EnrolFingerOutcome {
  return { ok: false, kind, text };
}

function sameAuthoriser(a: EnrolmentAuthoriser | null, b: EnrolmentAuthoriser): boolean {
  if (!a || a.method !== b.method) return false;
  return a.method === 'pin' || (b.method === 'admin-finger' && a.staffId === b.staffId);
}

function uploadOutcome(reply: ServerReply): { ok: true; revision: number } | EnrolmentFailure {
  const body = isServerFailure(reply) ? null : (reply.body as { revision?: unknown; error?: { code?: unknown } } | null);
  if (reply.status === 200 && typeof body?.revision === 'number') return { ok: true, revision: body.revision };
  // The server knows whose it is; this kiosk's slot map did not (the page matched was no slot of it).
  if (reply.status === 409 && body?.error?.code === 'duplicate-finger') return { ok: false, kind: 'duplicate', ownerStaffId: null, text: texts.duplicate };
  if (reply.status === 503 && body?.error?.code === 'templates-disabled') return { ok: false, kind: 'upload-failed', text: texts.noTemplateKey };
  if (reply.status === 403 && body?.error?.code === 'not-an-admin') return { ok: false, kind: 'upload-failed', text: texts.notAdmin };
  return { ok: false, kind: 'upload-failed', text: texts.uploadFailed };
}
