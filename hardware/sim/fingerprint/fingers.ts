import { createHash } from 'node:crypto';
import { templateLength } from '../../fingerprint/instructions.ts';

/**
 * Synthetic fingerprints. A finger is a name; its template is 512 bytes derived from the name
 * alone, so the same finger gives the same template on every simulated module, in every process
 * (which is what lets a template uploaded from kiosk 1 identify the finger on kiosk 2).
 *
 * Each capture is the template with a few bytes disturbed, as two presses of a real finger are
 * never identical; matching counts equal bytes. Different fingers share ~2 of 512 bytes by
 * chance, far below the threshold.
 */
export function syntheticTemplate(finger: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < templateLength; i++) {
    blocks.push(createHash('sha256').update(`hall-kiosk synthetic finger\0${finger}\0${i}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, templateLength);
}

/** Bytes a single press disturbs. */
const pressNoise = 8;

/** The character file one press yields: deterministic per (template, press number). */
export function pressOf(template: Buffer, press: number): Buffer {
  const out = Buffer.from(template);
  const seed = createHash('sha256').update(template.subarray(0, 32)).update(`press ${press}`).digest();
  for (let i = 0; i < pressNoise; i++) {
    const at = seed.readUInt16BE(i * 2) % out.length;
    out[at] = out[at]! ^ (seed[16 + i]! | 1);
  }
  return out;
}

/** Below this, two character files are different fingers. */
export const matchThreshold = 50;

/** 0 for strangers; 256 for identical files; ~220 for two presses of one finger. */
export function matchScore(a: Buffer, b: Buffer): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal += 1;
  const floor = Math.floor(a.length * 0.75);
  return Math.max(0, Math.round(((equal - floor) / (a.length - floor)) * 256));
}
