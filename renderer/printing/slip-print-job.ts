import type { ServiceItem } from '../../core/catalog/catalog.ts';
import type { DisclosureSlipJob, SlipMaterialLine } from '../../core/guide/disclosure-slip.ts';
import { disclosureSlipJobSchema, initialSlipStatus, slipStatusFits, slipTally } from '../../core/guide/disclosure-slip.ts';
import { guideInLanguage } from '../../core/guide/guide-language.ts';
import type { Material, ServiceGuide } from '../../core/guide/service-guide.ts';
import type { Language } from '../../core/text/localized.ts';
import type { StoredSlip } from '../db/hall-kiosk-db.ts';
import { hallMinuteText } from '../hall-time.ts';
import { en } from '../i18n/en.ts';
import { zh } from '../i18n/zh.ts';

const printTexts = { zh, en } as const;

type Term = 'form' | 'medium' | 'channel';

/** A fixed term of the guide (原件, 纸质 …): as the guide writes it in Chinese, translated otherwise. */
function termIn<K extends Term>(language: Language, group: K, value: keyof (typeof en)['terms'][K]): string {
  return language === 'zh' ? String(value) : en.terms[group][value] as string;
}

export interface SlipPrintInput {
  slip: Pick<StoredSlip, 'serial' | 'at' | 'materials'>;
  service: ServiceItem;
  guide: ServiceGuide;
  hallName: string;
  timeZone: string;
  /** the language the citizen chose on screen; Chinese when absent */
  language?: Language;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
}

/** How to present a material, the condition it applies under, where to get it, what to watch. */
function detailsOf(material: Material, status: SlipMaterialLine['status'], language: Language): string[] {
  const text = printTexts[language].slip;
  const requirement = fill(text.requirement, { form: termIn(language, 'form', material.form), copies: material.copies, medium: termIn(language, 'medium', material.medium) });
  // What the citizen already has needs only the form to bring; what does not apply, nothing.
  if (status === 'not-applicable') return [];
  if (status === 'have') return [requirement];
  const channel = termIn(language, 'channel', material.source.channel);
  const source = material.source.issuer ? (language === 'zh' ? `${channel}（${material.source.issuer}）` : `${channel} (${material.source.issuer})`) : channel;
  return [
    requirement,
    ...(material.requirement.kind === 'conditional' ? [fill(text.condition, { condition: material.requirement.condition })] : []),
    fill(text.source, { source }),
    ...(material.specialRequirements ? [fill(text.special, { text: material.specialRequirements })] : []),
    ...(status === 'to-correct' ? [text.correct] : []),
  ];
}

/**
 * The paper slip is in the language the citizen chose (issue 13 §13): it is the citizen's list
 * to prepare from. The serial, the item code and the hall's name stay as they are, which is
 * what the counter staff go by. A text the guide has no English for is printed in Chinese, and
 * the slip says so.
 */
export function buildSlipPrintJob(input: SlipPrintInput): DisclosureSlipJob {
  const { slip, service } = input;
  const language = input.language ?? 'zh';
  const read = guideInLanguage(input.guide, language, service.windows.en);
  const guide = read.guide;
  const text = printTexts[language].slip;
  const statusOf = new Map(slip.materials.map((m) => [m.id, m.status]));
  const materials: SlipMaterialLine[] = guide.materials.map((material) => {
    const said = statusOf.get(material.id);
    const status = said !== undefined && slipStatusFits(material, said) ? said : initialSlipStatus(material);
    return { status, mark: text.mark[status], name: material.name, details: detailsOf(material, status, language) };
  });
  const tally = slipTally(materials.map((m) => m.status));
  const conditional = guide.materials.some((m) => m.requirement.kind === 'conditional');
  const job: DisclosureSlipJob = {
    hallName: input.hallName,
    title: text.title,
    serialText: fill(text.serial, { serial: slip.serial }),
    serviceText: fill(text.service, { name: service.name[language] }),
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
    footer: read.untranslated > 0 ? `${text.untranslated} ${text.footer}` : text.footer,
  };
  return disclosureSlipJobSchema.parse(job);
}
