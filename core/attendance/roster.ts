import { z } from 'zod';

/**
 * The staff roster as kiosks see it: enough to put a name and a window on screen after a finger
 * is identified. Fingerprint templates never travel in the roster; a kiosk learns which exist
 * (and which were deleted) here and downloads the bytes from the template routes.
 */

export const staffRoles = ['staff', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

/** 工号: the hall's own staff number, or a UUID the server made when the admin gave none. */
export const staffIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,35}$/, 'staff id: 1–36 letters, digits, dots, dashes or underscores');
export const departmentIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'department id: 1–64 letters, digits, dots, dashes or underscores');
export const workScheduleIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'schedule id: 1–64 lower-case letters, digits, dots, dashes or underscores');

/** AS608-family modules hold one template per finger; 0–9 numbers the fingers, thumb to little finger, right hand first. */
export const fingerIndexSchema = z.coerce.number().int().min(0).max(9);

export const staffMemberSchema = z.object({
  id: staffIdSchema,
  name: z.string().trim().min(1).max(40),
  departmentId: departmentIdSchema,
  /** 窗口 the person normally staffs, as the hall labels it ("12号窗口"); null for back-office staff */
  counter: z.string().trim().min(1).max(40).nullable(),
  role: z.enum(staffRoles),
  /** null: the department's schedule, else the hall's default */
  scheduleId: workScheduleIdSchema.nullable(),
  active: z.boolean(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/** A template the kiosk should hold: download it when its revision is newer than the kiosk's copy. */
export const templateRefSchema = z.object({
  staffId: staffIdSchema,
  finger: z.int().min(0).max(9),
  revision: z.int().positive(),
});
export type TemplateRef = z.infer<typeof templateRefSchema>;

export const removedTemplateSchema = z.object({ staffId: staffIdSchema, finger: z.int().min(0).max(9) });
export type RemovedTemplate = z.infer<typeof removedTemplateSchema>;

/**
 * The roster part of a pull. With `full` the lists are the whole state and replace what the kiosk
 * holds (a template it has that is not listed must be deleted from its reader); otherwise they are
 * the changes since `staffCursor`. Deactivated members stay listed (`active: false`) so records
 * already taken still show a name.
 */
export const rosterPullSchema = z.object({
  /** opaque: send it back as the pull's `staffCursor` */
  cursor: z.string(),
  full: z.boolean(),
  members: z.array(staffMemberSchema),
  templates: z.array(templateRefSchema),
  /** tombstones: delete these from the reader and the local store (never in a full answer) */
  removedTemplates: z.array(removedTemplateSchema),
});
export type RosterPull = z.infer<typeof rosterPullSchema>;

/** Template bytes as the reader's UpChar produced them, base64 on the wire. */
export const templateBytesLimit = 4096;
export const templateFormats = ['as608-char'] as const;

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'template must be base64').max(Math.ceil(templateBytesLimit / 3) * 4);

/**
 * Who opened the staff session an enrolment ran in: the kiosk's admin PIN, or an admin's finger
 * (by 工号). Filled in by the kiosk's privileged side from its own session, never by the page.
 */
export const enrolmentAuthoriserSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('pin') }).strict(),
  z.object({ method: z.literal('admin-finger'), staffId: staffIdSchema }).strict(),
]);
export type EnrolmentAuthoriser = z.infer<typeof enrolmentAuthoriserSchema>;

export const templateUploadSchema = z.object({
  template: base64Schema,
  format: z.enum(templateFormats).default('as608-char'),
  /** absent only from kiosks older than the enrolment audit; recorded as unknown */
  authorisedBy: enrolmentAuthoriserSchema.optional(),
  /**
   * The template of the reader page the new finger matched when it was enrolled, if any: the
   * server refuses the upload when that template is another staff member's (one finger, one person).
   */
  matchedTemplate: base64Schema.optional(),
});
export type TemplateUpload = z.input<typeof templateUploadSchema>;

export const templateDownloadSchema = z.object({
  staffId: staffIdSchema,
  finger: z.int().min(0).max(9),
  revision: z.int().positive(),
  format: z.enum(templateFormats),
  template: base64Schema,
});
export type TemplateDownload = z.infer<typeof templateDownloadSchema>;
