import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TemplateKey } from './template-key.ts';
import { TemplateKeyError } from './template-key.ts';

/** A template as stored: base64 text columns, so both engines hold it the same way. */
export interface SealedTemplate {
  ciphertext: string;
  iv: string;
  authTag: string;
  keyId: string;
}

/** The stored bytes do not authenticate: altered, truncated, or copied from another record. */
export class TemplateIntegrityError extends Error {
  override readonly name = 'TemplateIntegrityError';
}

const algorithm = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;

/**
 * Binds a ciphertext to its owner and finger: copied into another person's row (or another
 * finger's), it no longer authenticates, so nobody can be made to sign in as somebody else.
 */
function associatedData(staffId: string, finger: number): Buffer {
  return Buffer.from(`hall-kiosk/fingerprint-template/v1\u0000${staffId}\u0000${finger}`, 'utf8');
}

export function sealTemplate(key: TemplateKey, staffId: string, finger: number, template: Buffer): SealedTemplate {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv(algorithm, key.key, iv, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(staffId, finger));
  const ciphertext = Buffer.concat([cipher.update(template), cipher.final()]);
  return { ciphertext: ciphertext.toString('base64'), iv: iv.toString('base64'), authTag: cipher.getAuthTag().toString('base64'), keyId: key.id };
}

export function openTemplate(key: TemplateKey, staffId: string, finger: number, sealed: SealedTemplate): Buffer {
  if (sealed.keyId !== key.id) {
    throw new TemplateKeyError(
      `the fingerprint template of staff ${staffId} finger ${finger} was encrypted with key ${sealed.keyId}, but this server's key is ${key.id}: start it with the original HALL_TEMPLATE_KEY`,
    );
  }
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.authTag, 'base64');
  if (iv.length !== ivBytes || tag.length !== tagBytes) throw new TemplateIntegrityError(`the stored template of staff ${staffId} finger ${finger} is damaged (IV or tag has the wrong length)`);
  const decipher = createDecipheriv(algorithm, key.key, iv, { authTagLength: tagBytes });
  decipher.setAAD(associatedData(staffId, finger));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
  } catch (error) {
    throw new TemplateIntegrityError(
      `the stored template of staff ${staffId} finger ${finger} fails its integrity check: it was altered or copied from another record; enrol the finger again`,
      { cause: error },
    );
  }
}
