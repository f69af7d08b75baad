import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { DisclosureSlipJob, SlipMaterialLine } from '../../core/guide/disclosure-slip.ts';
import { disclosureSlipJobSchema, initialSlipStatus, slipStatusFits, slipTally } from '../../core/guide/disclosure-slip.ts';
import type { Material, ServiceGuide } from '../../core/guide/service-guide.ts';
import type { StoredSlip } from '../db/hall-kiosk-db.ts';
import { hallMinuteText } from '../hall-time.ts';
import { zh } from '../i18n/zh.ts';

export interface SlipPrintInput {
  slip: Pick<StoredSlip, 'serial' | 'at' | 'materials'>;
  service: ServiceItem;
  guide: ServiceGuide;
  hallName: string;
  timeZone: string;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}

/** How to present a material, the condition it applies under, where to get it, what to watch. */
function detailsOf(material: Material, status: SlipMaterialLine['status']): string[] {
  const text = zh.slip;
  const requirement = fill(text.requirement, { form: material.form, copies: material.copies, medium: material.medium });
  // What the citizen already has needs only the form to bring; what does not apply, nothing.
  if (status === 'not-applicable') return [];
  if (status === 'have') return [requirement];
  const source = material.source.issuer ? `${material.source.channel}（${material.source.issuer}）` : material.source.channel;
  return [
    requirement,
    ...(material.requirement.kind === 'conditional' ? [fill(text.condition, { condition: material.requirement.condition })] : []),
    fill(text.source, { source }),
    ...(material.specialRequirements ? [fill(text.special, { text: material.specialRequirements })] : []),
    ...(status === 'to-correct' ? [text.correct] : []),
  ];
}

/**
 * The paper slip is always in Chinese, whatever language the screen shows: it is what the
 * counter staff read when the citizen comes back with the materials.
 */
export function buildSlipPrintJob(input: SlipPrintInput): DisclosureSlipJob {
  const { slip, service, guide } = input;
  const text = zh.slip;
  const statusOf = new Map(slip.materials.map((m) => [m.id, m.status]));
  const materials: SlipMaterialLine[] = guide.materials.map((material) => {
    const said = statusOf.get(material.id);
    const status = said !== undefined && slipStatusFits(material, said) ? said : initialSlipStatus(material);
    return { status, mark: text.mark[status], name: material.name, details: detailsOf(material, status) };
  });
  const tally = slipTally(materials.map((m) => m.status));
  const conditional = guide.materials.some((m) => m.requirement.kind === 'conditional');
  const job: DisclosureSlipJob = {
    hallName: input.hallName,
    title: text.title,
    serialText: fill(text.serial, { serial: slip.serial }),
    serviceText: fill(text.service, { name: service.name.zh }),
    codeText: fill(text.code, { code: service.code }),
    summaryText: fill(conditional ? text.summaryConditional : text.summary, {
      total: materials.length,
      missing: tally.missing,
      toCorrect: tally['to-correct'],
      notApplicable: tally['not-applicable'],
      undecided: tally.undecided,
    }),
    materials,
    placeText: fill(text.place, { address: guide.place.address, windows: guide.place.windows }),
    consultPhoneText: fill(text.consultPhone, { phone: guide.phones.consult }),
    supervisionPhoneText: fill(text.supervisionPhone, { phone: guide.phones.supervision }),
    issuedAtText: fill(text.issuedAt, { time: hallMinuteText(slip.at, input.timeZone) }),
    ...(guide.onlineUrl !== undefined ? { qrPayload: guide.onlineUrl, qrCaption: text.qrCaption } : {}),
    footer: text.footer,
  };
  return disclosureSlipJobSchema.parse(job);
}
