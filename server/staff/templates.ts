import type { Kysely } from 'kysely';
import type { EnrolmentAuthoriser, TemplateDownload } from '../../core/attendance/roster.ts';
import type { Clock } from '../../core/calendar/clock.ts';
import { hallApi } from '../../core/http/contract.ts';
import { pathOf } from '../../core/http/route-contract.ts';
import type { Database } from '../db/schema.ts';
import { openGrantFor } from './enrolment-grants.ts';
import { StaffError, deleteTemplatesOf, nextRosterRevision } from './roster.ts';
import { openTemplate, sealTemplate } from './template-cipher.ts';
import type { TemplateKey } from './template-key.ts';
import { TemplateKeyError, templatesDisabledMessage } from './template-key.ts';

/** The template routes were asked for while the server has no key. */
export class TemplatesDisabled extends Error {
  override readonly name = 'TemplatesDisabled';

  constructor() {
    super(templatesDisabledMessage);
  }
}

type Format = TemplateDownload['format'];

/** What the enrolling kiosk's privileged side said about an upload (core/attendance/roster.ts templateUploadSchema). */
export interface EnrolmentAttestation {
  authorisedBy: EnrolmentAuthoriser | null;
  /** the template of the reader page the new finger matched at enrolment */
  matchedTemplate: Buffer | null;
}

const noAttestation: EnrolmentAttestation = { authorisedBy: null, matchedTemplate: null };

/**
 * Fingerprint templates, encrypted at rest. Plain bytes exist only in memory on their way to or
 * from an authenticated kiosk; nothing here logs, and errors name the staff id and finger only.
 */
export class TemplateStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly key: TemplateKey | null,
    /** demo mode only: kiosks' uploads need no enrolment grant (ServerAppOptions.trustKioskEnrolment) */
    private readonly options: { trustKioskEnrolment?: boolean } = {},
  ) {}

  get enabled(): boolean {
    return this.key !== null;
  }

  private requireKey(): TemplateKey {
    if (!this.key) throw new TemplatesDisabled();
    return this.key;
  }

  /**
   * Run at start-up: a server given another key than the stored templates were sealed with must
   * not start serving garbage or errors one kiosk at a time — it refuses to start, saying why.
   */
  async verifyKey(): Promise<{ stored: number }> {
    const keys = await this.db
      .selectFrom('staff_templates')
      .select((eb) => ['key_id', eb.fn.countAll<number>().as('n')])
      .groupBy('key_id')
      .execute();
    const stored = keys.reduce((sum, k) => sum + Number(k.n), 0);
    if (!this.key) return { stored };
    const foreign = keys.filter((k) => k.key_id !== this.key!.id);
    if (foreign.length) {
      const count = foreign.reduce((sum, k) => sum + Number(k.n), 0);
      throw new TemplateKeyError(
        `HALL_TEMPLATE_KEY (key id ${this.key.id}) is not the key ${count} stored fingerprint template(s) were encrypted with (key id ${foreign.map((k) => k.key_id).join(', ')}): start the server with the original key`,
      );
    }
    return { stored };
  }

  /**
   * Stores an enrolment's template and records who authorised it. A kiosk's upload (`deviceId`)
   * is taken only under an admin's enrolment grant for this staff member at this kiosk
   * (enrolment-grants.ts); what the kiosk says of its own staff session is recorded, not trusted.
   * Refused, with nothing written: no open grant, an `admin-finger` authoriser who is not an
   * active admin, and a `matchedTemplate` (the library page the finger matched at the kiosk) that
   * the hall holds for somebody else. Without `deviceId` (the server's own tools) no grant is asked.
   */
  async put(staffId: string, finger: number, template: Buffer, format: Format, deviceId: string | null, attestation: EnrolmentAttestation = noAttestation): Promise<{ revision: number; replaced: boolean; grantedBy: string | null }> {
    const key = this.requireKey();
    if (template.length === 0) throw new StaffError('the template is empty');
    const sealed = sealTemplate(key, staffId, finger, template);
    const now = this.clock.now();
    const { authorisedBy, matchedTemplate } = attestation;
    return this.db.transaction().execute(async (trx) => {
      const staff = await trx.selectFrom('staff').select(['active']).where('id', '=', staffId).executeTakeFirst();
      if (!staff) throw new StaffError(`no staff member ${staffId}`, 'not-found');
      if (Number(staff.active) !== 1) throw new StaffError(`staff member ${staffId} is deactivated; reactivate before enrolling`, 'conflict');
      const grant = deviceId === null ? null : await openGrantFor(trx, staffId, deviceId, now);
      if (deviceId !== null && !grant && !this.options.trustKioskEnrolment) {
        throw new StaffError(`no admin has given this kiosk leave to enrol ${staffId}'s fingers (or the leave has expired): an admin grants it on the fingerprint audit page or with POST ${pathOf(hallApi.adminEnrolmentGrant, { params: { id: staffId } })}; template not stored`, 'not-granted');
      }
      if (authorisedBy?.method === 'admin-finger') {
        const admin = await trx.selectFrom('staff').select(['active', 'role']).where('id', '=', authorisedBy.staffId).executeTakeFirst();
        if (!admin || Number(admin.active) !== 1 || admin.role !== 'admin') {
          throw new StaffError(`the staff session that enrolled this finger was opened by ${authorisedBy.staffId}, who is not an active admin; template not stored`, 'not-an-admin');
        }
      }
      // Several server processes share one database; one started with another key must not mix keys.
      const foreign = await trx.selectFrom('staff_templates').select('key_id').where('key_id', '<>', key.id).limit(1).executeTakeFirst();
      if (foreign) throw new TemplateKeyError(`this server's HALL_TEMPLATE_KEY (key id ${key.id}) is not the key the stored templates use (key id ${foreign.key_id}); template not stored`);
      if (matchedTemplate) {
        const owner = await ownerOfTemplate(trx, key, matchedTemplate);
        // Whose it is stays out of the answer: the kiosk's own slot map names the owner on its admin screen.
        if (owner !== null && owner !== staffId) throw new StaffError('this finger is already enrolled for another staff member; template not stored', 'duplicate-finger');
      }
      const held = await trx.selectFrom('staff_templates').select('finger').where('staff_id', '=', staffId).where('finger', '=', finger).executeTakeFirst();
      const revision = await nextRosterRevision(trx);
      const row = {
        staff_id: staffId,
        finger,
        format,
        ciphertext: sealed.ciphertext,
        iv: sealed.iv,
        auth_tag: sealed.authTag,
        key_id: sealed.keyId,
        revision,
        enrolled_by_device: deviceId,
        created_at: now,
      };
      await trx
        .insertInto('staff_templates')
        .values(row)
        .onConflict((oc) => oc.columns(['staff_id', 'finger']).doUpdateSet({ format, ciphertext: row.ciphertext, iv: row.iv, auth_tag: row.auth_tag, key_id: row.key_id, revision, enrolled_by_device: deviceId, created_at: now }))
        .execute();
      const replaced = held !== undefined;
      await trx
        .insertInto('template_audit')
        .values({
          revision,
          staff_id: staffId,
          finger,
          device_id: deviceId,
          authorised_method: authorisedBy?.method ?? null,
          authorised_staff_id: authorisedBy?.method === 'admin-finger' ? authorisedBy.staffId : null,
          replaced: replaced ? 1 : 0,
          at: now,
          grant_id: grant?.id ?? null,
          granted_by: grant?.grantedBy ?? null,
        })
        .execute();
      return { revision, replaced, grantedBy: grant?.grantedBy ?? null };
    });
  }

  async get(staffId: string, finger: number): Promise<TemplateDownload | null> {
    const key = this.requireKey();
    const row = await this.db.selectFrom('staff_templates').selectAll().where('staff_id', '=', staffId).where('finger', '=', finger).executeTakeFirst();
    if (!row) return null;
    return downloadOf(key, row);
  }

  /** Every template sealed after revision `after`, oldest change first: a new kiosk pages through all. */
  async listAfter(after: number, limit: number): Promise<TemplateDownload[]> {
    const key = this.requireKey();
    const rows = await this.db.selectFrom('staff_templates').selectAll().where('revision', '>', after).orderBy('revision').orderBy('staff_id').orderBy('finger').limit(limit).execute();
    return rows.map((row) => downloadOf(key, row));
  }

  /** Deleting needs no key: personal data must be deletable even when the feature is off. */
  async remove(staffId: string, finger: number): Promise<boolean> {
    const now = this.clock.now();
    return this.db.transaction().execute(async (trx) => {
      const held = await trx.selectFrom('staff_templates').select('finger').where('staff_id', '=', staffId).where('finger', '=', finger).executeTakeFirst();
      if (!held) return false;
      const revision = await nextRosterRevision(trx);
      return (await deleteTemplatesOf(trx, staffId, finger, revision, now)) > 0;
    });
  }
}

/**
 * Re-encrypts every stored template under `next` (template-key:rotate), in one transaction: a
 * template that `current` cannot open stops the rotation with nothing changed. Rows already under
 * `next` are left as they are, so a rotation that was interrupted can be run again. Revisions do
 * not change: kiosks hold the same template bytes and need not download them again.
 */
export async function rotateTemplateKey(db: Kysely<Database>, current: TemplateKey, next: TemplateKey): Promise<{ rotated: number; alreadyUnderNewKey: number }> {
  if (current.id === next.id) throw new TemplateKeyError('the new template key is the current one: make a new key with template-key:new');
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('staff_templates').select(['staff_id', 'finger', 'ciphertext', 'iv', 'auth_tag', 'key_id']).execute();
    let rotated = 0;
    let alreadyUnderNewKey = 0;
    for (const row of rows) {
      if (row.key_id === next.id) {
        alreadyUnderNewKey += 1;
        continue;
      }
      const finger = Number(row.finger);
      const bytes = openTemplate(current, row.staff_id, finger, { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id });
      const sealed = sealTemplate(next, row.staff_id, finger, bytes);
      bytes.fill(0);
      await trx
        .updateTable('staff_templates')
        .set({ ciphertext: sealed.ciphertext, iv: sealed.iv, auth_tag: sealed.authTag, key_id: sealed.keyId })
        .where('staff_id', '=', row.staff_id)
        .where('finger', '=', finger)
        .execute();
      rotated += 1;
    }
    return { rotated, alreadyUnderNewKey };
  });
}

/** The staff member whose stored template is exactly these bytes (the kiosks hold the server's bytes), or null. */
async function ownerOfTemplate(db: Kysely<Database>, key: TemplateKey, template: Buffer): Promise<string | null> {
  const rows = await db.selectFrom('staff_templates').select(['staff_id', 'finger', 'ciphertext', 'iv', 'auth_tag', 'key_id']).execute();
  for (const row of rows) {
    const bytes = openTemplate(key, row.staff_id, Number(row.finger), { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id });
    const same = bytes.equals(template);
    bytes.fill(0);
    if (same) return row.staff_id;
  }
  return null;
}

/** One stored template's enrolment, for admins: who authorised it, from which kiosk, new or replacing. */
export interface TemplateAuditEntry {
  revision: number;
  staffId: string;
  finger: number;
  deviceId: string | null;
  /** what the kiosk said of its staff session (its word only); null: uploaded by a kiosk older than the audit */
  authorisedBy: EnrolmentAuthoriser | null;
  /** the admin whose enrolment grant the server took the upload under; null before grants */
  grantedBy: string | null;
  replaced: boolean;
  at: number;
}

/** Newest first: one staff member's history, or the hall's latest `limit` enrolments. */
export async function templateAuditOf(db: Kysely<Database>, which: { staffId?: string; limit?: number }): Promise<TemplateAuditEntry[]> {
  let query = db.selectFrom('template_audit').selectAll().orderBy('revision', 'desc');
  if (which.staffId !== undefined) query = query.where('staff_id', '=', which.staffId);
  if (which.limit !== undefined) query = query.limit(which.limit);
  const rows = await query.execute();
  return rows.map((row) => ({
    revision: Number(row.revision),
    staffId: row.staff_id,
    finger: Number(row.finger),
    deviceId: row.device_id,
    authorisedBy: authoriserOf(row.authorised_method, row.authorised_staff_id),
    grantedBy: row.granted_by,
    replaced: Number(row.replaced) === 1,
    at: Number(row.at),
  }));
}

function authoriserOf(method: string | null, staffId: string | null): EnrolmentAuthoriser | null {
  if (method === 'pin') return { method: 'pin' };
  if (method === 'admin-finger' && staffId !== null) return { method: 'admin-finger', staffId };
  return null;
}

function downloadOf(key: TemplateKey, row: { staff_id: string; finger: number; format: string; ciphertext: string; iv: string; auth_tag: string; key_id: string; revision: number }): TemplateDownload {
  const finger = Number(row.finger);
  const bytes = openTemplate(key, row.staff_id, finger, { ciphertext: row.ciphertext, iv: row.iv, authTag: row.auth_tag, keyId: row.key_id });
  return { staffId: row.staff_id, finger, revision: Number(row.revision), format: row.format as Format, template: bytes.toString('base64') };
}

/**
 * Start-up: refuses a key that does not open the stored templates (throws, so the server does not
 * start), and says plainly when the feature is off for want of a key.
 */
export async function startTemplateStore(store: TemplateStore, log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void }): Promise<void> {
  const { stored } = await store.verifyKey();
  if (!store.enabled) log.warn({ storedTemplates: stored }, templatesDisabledMessage);
  else log.info({ storedTemplates: stored }, 'fingerprint templates enabled');
}
