import { z } from 'zod';
import type { BusinessDay } from '../calendar/business-day.ts';
import type { Material } from './service-guide.ts';

/**
 * The one-time disclosure slip (一次性告知单, 行政许可法 §32): printed at the kiosk so a citizen
 * leaves knowing every material still missing or to be corrected, and never has to come back
 * twice. What the hall records of it is what was disclosed, never who asked.
 */

/**
 * What the citizen said of each material on the checklist. A conditional material (授权委托书 only
 * for an agent) can also not apply, and starts undecided: a slip must neither list it as missing
 * for someone it does not concern nor tell an agent it is not needed.
 */
export const slipMaterialStatuses = ['have', 'missing', 'to-correct', 'not-applicable', 'undecided'] as const;
export type SlipMaterialStatus = (typeof slipMaterialStatuses)[number];

const requiredChoices = ['have', 'missing', 'to-correct'] as const satisfies readonly SlipMaterialStatus[];
const conditionalChoices = ['have', 'missing', 'to-correct', 'not-applicable'] as const satisfies readonly SlipMaterialStatus[];

/** The answers the checklist offers for a material: 不适用 only where the guide names a condition. */
export function slipChoicesFor(material: Pick<Material, 'requirement'>): readonly SlipMaterialStatus[] {
  return material.requirement.kind === 'conditional' ? conditionalChoices : requiredChoices;
}

/** Before the citizen answers: a required material is missing, a conditional one undecided. */
export function initialSlipStatus(material: Pick<Material, 'requirement'>): SlipMaterialStatus {
  return material.requirement.kind === 'conditional' ? 'undecided' : 'missing';
}

/** Whether `status` is an answer (or the starting state) this material can have. */
export function slipStatusFits(material: Pick<Material, 'requirement'>, status: SlipMaterialStatus): boolean {
  return status === initialSlipStatus(material) || slipChoicesFor(material).includes(status);
}

export type SlipTally = Record<SlipMaterialStatus, number>;

export function slipTally(statuses: readonly SlipMaterialStatus[]): SlipTally {
  const tally = Object.fromEntries(slipMaterialStatuses.map((s) => [s, 0])) as SlipTally;
  for (const status of statuses) tally[status] += 1;
  return tally;
}

/**
 * GZ (告知) - the kiosk - the hall's date - the slip's number that day: short enough to read out
 * over the phone to the supervision line, unique per kiosk per day.
 */
export const slipSerialSchema = z.string().regex(/^GZ-[A-Z0-9]{1,8}-\d{8}-\d{3,6}$/, 'slip serial: GZ-<kiosk>-YYYYMMDD-NNN');

/**
 * The kiosk part of a serial: the last six letters or digits of its id, upper-cased. Kiosk ids are
 * random UUIDs by default, whose tail is as random as any part; named ids (entrance-1) keep the
 * part that tells them apart.
 */
export function kioskShortId(kioskId: string): string {
  const plain = kioskId.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return plain.slice(-6) || 'KIOSK';
}

export function slipSerial(kioskId: string, day: BusinessDay, number: number): string {
  if (!Number.isInteger(number) || number < 1 || number > 999_999) throw new RangeError(`slip number ${number} is out of range`);
  return `GZ-${kioskShortId(kioskId)}-${day.replaceAll('-', '')}-${String(number).padStart(3, '0')}`;
}

// Written out rather than imported from sync-events.ts, which imports this module.
const uuidV7 = z.uuid({ version: 'v7' });
const materialIdSchema = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'material id: lower-case words joined by dashes').max(64);

/** The 'disclosure.printed' event: which slip, for which service, what it said of each material. */
export const disclosurePrintedSchema = z.object({
  id: uuidV7,
  serial: slipSerialSchema,
  serviceId: z.string().min(1).max(64),
  materials: z
    .array(z.object({ id: materialIdSchema, status: z.enum(slipMaterialStatuses) }))
    .min(1)
    .max(80)
    .superRefine((materials, ctx) => {
      const seen = new Set<string>();
      materials.forEach((m, i) => {
        if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `material ${m.id} is listed twice` });
        seen.add(m.id);
      });
    }),
  /** device clock when it was printed, epoch ms */
  at: z.int().nonnegative(),
});
export type DisclosurePrinted = z.infer<typeof disclosurePrintedSchema>;

const line = (max: number) => z.string().trim().min(1).max(max);
const asciiPrintable = /^[\x20-\x7e]*$/;

export const slipMaterialLineSchema = z.object({
  status: z.enum(slipMaterialStatuses),
  /** e.g. ✗ 缺; printed in front of the name */
  mark: line(12),
  name: line(120),
  /** form and copies, the condition it applies under, where to get it, special requirements */
  details: z.array(line(300)).max(8),
});
export type SlipMaterialLine = z.infer<typeof slipMaterialLineSchema>;

/**
 * What the kiosk asks the printer to print for a slip. Like the ticket job, every text is already
 * in the hall's language and carries its own label, so the printer side only lays it out.
 */
export const disclosureSlipJobSchema = z.object({
  hallName: line(60),
  /** 一次性告知单 */
  title: line(30),
  serialText: line(80),
  serviceText: line(160),
  codeText: line(80),
  /** e.g. 申请材料共 6 项：缺 2 项，需补正 1 项 */
  summaryText: line(120),
  materials: z.array(slipMaterialLineSchema).min(1).max(80),
  placeText: line(200),
  consultPhoneText: line(80),
  supervisionPhoneText: line(80),
  issuedAtText: line(80),
  /**
   * the guide's own online address, when it has one (no placeholder: a code that leads nowhere is
   * worse than none); ASCII so every QR reader and the printer's own encoder read it alike
   */
  qrPayload: z.string().min(1).max(300).regex(asciiPrintable, 'QR payload must be printable ASCII').optional(),
  qrCaption: line(80).optional(),
  footer: z.string().max(300).optional(),
});
export type DisclosureSlipJob = z.infer<typeof disclosureSlipJobSchema>;
