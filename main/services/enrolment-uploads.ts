import { templateUploadSchema, type EnrolmentAuthoriser } from '../../core/attendance/roster.ts';
import { needsStaffSession, type ServerRequest } from '../../core/http/central-server-request.ts';
import type { ReaderService } from './reader-service.ts';

/** A template upload the privileged side will not send on; the page gets the message. */
export class EnrolmentUploadRefused extends Error {
  override readonly name = 'EnrolmentUploadRefused';
}

export interface EnrolmentUploadsOptions {
  /** the kiosk's reader; absent, there is no enrolment here and so nothing to upload */
  reader?: Pick<ReaderService, 'takeEnrolment' | 'uploadTemplate'>;
  /** who opened the staff session now open (PinService.authoriser) */
  authoriser(): EnrolmentAuthoriser | null;
}

/**
 * The template upload of an enrolment, as it leaves the kiosk. The page names the staff member
 * and finger; everything that decides whether the server takes it is the privileged side's own:
 * only a template this reader enrolled in this run may go, the body is rebuilt from the template
 * and format alone, and to it are added who opened the staff session and — when the new finger
 * matched a library page at enrolment — that page's template, so the server can refuse a finger
 * already held by somebody else whatever the page chose to believe.
 */
export class EnrolmentUploads {
  constructor(private readonly options: EnrolmentUploadsOptions) {}

  /** Other requests pass unchanged; an enrolment's upload comes back attested, or is refused. */
  async attest(request: ServerRequest): Promise<ServerRequest> {
    if (!needsStaffSession(request.method, request.path)) return request;
    const parsed = templateUploadSchema.safeParse(request.body);
    if (!parsed.success) throw new EnrolmentUploadRefused('template upload: the body is not a template');
    const authorisedBy = this.options.authoriser();
    if (!authorisedBy) throw new EnrolmentUploadRefused('template upload: no staff session');
    const { reader } = this.options;
    const enrolled = reader?.takeEnrolment(parsed.data.template);
    if (!reader || !enrolled) throw new EnrolmentUploadRefused('template upload: only a template enrolled on this kiosk’s reader (and read back from it) may be uploaded');
    const matchedTemplate = enrolled.matchedPage === null ? undefined : await reader.uploadTemplate(enrolled.matchedPage);
    return {
      ...request,
      body: { template: parsed.data.template, format: parsed.data.format, authorisedBy, ...(matchedTemplate ? { matchedTemplate } : {}) },
    };
  }
}
