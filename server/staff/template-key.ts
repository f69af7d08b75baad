import { createHmac } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';

/**
 * The key fingerprint templates are encrypted with (AES-256-GCM). It lives in the server's
 * configuration, never in the database, so a stolen database copy holds no usable biometrics.
 */
export interface TemplateKey {
  key: Buffer;
  /** names the key without revealing it: tells "wrong key" apart from "damaged record" */
  id: string;
}

export const templateKeyEnv = 'HALL_TEMPLATE_KEY';

export class TemplateKeyError extends Error {
  override readonly name = 'TemplateKeyError';
}

const keyBytes = 32;

export function templateKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('hall-kiosk fingerprint template key id').digest('hex').slice(0, 16);
}

/** 32 bytes in base64 (or base64url); `source` says where it came from, for the error. */
export function parseTemplateKey(text: string, source: string): TemplateKey {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new TemplateKeyError(`${source} is not base64: give 32 random bytes in base64, e.g. from "server/cli.ts template-key:new"`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== keyBytes) {
    throw new TemplateKeyError(`${source} decodes to ${key.length} bytes; the fingerprint template key must be exactly ${keyBytes} bytes (44 base64 characters)`);
  }
  return { key, id: templateKeyId(key) };
}

export const templatesDisabledMessage =
  `fingerprint templates are disabled: the server was started without ${templateKeyEnv} (32 random bytes, base64; create one with "server/cli.ts template-key:new" and keep it out of the database backups)`;

/**
 * The key from `--template-key-file` (preferred: a command line is visible to every user of the
 * machine, a file can be readable by the server's user only) or from HALL_TEMPLATE_KEY; null when
 * neither is given. A malformed key throws: the server must not start half-configured.
 */
export function templateKeyFromConfig(options: { env: Record<string, string | undefined>; keyFile?: string }): TemplateKey | null {
  if (options.keyFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.keyFile, 'utf8');
    } catch (error) {
      throw new TemplateKeyError(`cannot read the template key file ${options.keyFile}: ${(error as Error).message}`);
    }
    return parseTemplateKey(text, `the template key file ${options.keyFile}`);
  }
  const fromEnv = options.env[templateKeyEnv];
  return fromEnv ? parseTemplateKey(fromEnv, templateKeyEnv) : null;
}

export function newTemplateKeyText(random: (size: number) => Buffer): string {
  return random(keyBytes).toString('base64');
}

/**
 * A key this server keeps for itself in `file` (the demo hall's, in the kiosk's data dir): made
 * on the first start, read on every later one, readable by its owner only. Without it a demo
 * would enrol nobody, and a key made afresh at each start would orphan every stored template.
 */
export function ownTemplateKey(file: string, random: (size: number) => Buffer): TemplateKey {
  try {
    writeFileSync(file, `${newTemplateKeyText(random)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new TemplateKeyError(`cannot create the template key file ${file}: ${(error as Error).message}`);
    // A copy restored with looser rights is tightened rather than refused: it is the demo's own file.
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
  return templateKeyFromConfig({ env: {}, keyFile: file })!;
}
