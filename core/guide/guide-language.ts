import type { Language } from '../text/localized.ts';
import type { Material, ProcessStep, ServiceGuide } from './service-guide.ts';

/**
 * A guide as a citizen reads it in one language: each text in that language where the hall has
 * translated it, in Chinese where not. What fell back is counted, so the kiosk and the printed
 * slip can say so instead of mixing the two languages silently. The kiosk's screen and its
 * printed slip both read guides through here.
 */
export interface GuideInLanguage {
  guide: ServiceGuide;
  language: Language;
  /** texts of the guide a citizen reads (law titles aside: they are cited as enacted) */
  texts: number;
  /** of those, the ones shown in Chinese because they have no translation */
  untranslated: number;
}

/** none: the guide is all Chinese; partial: some of it is; complete: none of it is. */
export type Translation = 'complete' | 'partial' | 'none';

export function translationOf(read: Pick<GuideInLanguage, 'texts' | 'untranslated'>): Translation {
  if (read.untranslated === 0) return 'complete';
  return read.untranslated === read.texts ? 'none' : 'partial';
}

class Tally {
  texts = 0;
  untranslated = 0;

  /** The English when there is one, else the Chinese, counted. */
  pick(zh: string, en: string | null | undefined): string {
    this.texts += 1;
    if (en == null) {
      this.untranslated += 1;
      return zh;
    }
    return en;
  }

  /** As `pick`, for a text the record may not have. */
  maybe(zh: string | undefined, en: string | undefined): string | undefined {
    return zh === undefined ? undefined : this.pick(zh, en);
  }
}

function materialIn(m: Material, tally: Tally): Material {
  const en = m.en ?? {};
  const issuer = tally.maybe(m.source.issuer, en.issuer);
  const special = tally.maybe(m.specialRequirements, en.specialRequirements);
  return {
    ...m,
    name: tally.pick(m.name, en.name),
    requirement: m.requirement.kind === 'conditional' ? { kind: 'conditional', condition: tally.pick(m.requirement.condition, en.condition) } : m.requirement,
    source: { channel: m.source.channel, ...(issuer !== undefined ? { issuer } : {}) },
    ...(special !== undefined ? { specialRequirements: special } : {}),
    ...(m.blankForm ? { blankForm: { ...m.blankForm, title: tally.pick(m.blankForm.title, en.blankForm) } } : {}),
    ...(m.sample ? { sample: { ...m.sample, title: tally.pick(m.sample.title, en.sample) } } : {}),
  };
}

function stepIn(step: ProcessStep, tally: Tally): ProcessStep {
  return { ...step, name: tally.pick(step.name, step.en?.name), description: tally.pick(step.description, step.en?.description) };
}

/**
 * `guide` in `language`. `windowsEn` is the catalog's English for the windows, which the guide
 * repeats from the catalog in Chinese only.
 */
export function guideInLanguage(guide: ServiceGuide, language: Language, windowsEn?: string): GuideInLanguage {
  if (language === 'zh') return { guide, language, texts: 0, untranslated: 0 };
  const tally = new Tally();
  const en = guide.en ?? {};
  // Name and summary already carry both languages; they are only counted.
  tally.pick(guide.name.zh, guide.name.en);
  tally.pick(guide.summary.zh, guide.summary.en);
  const note = tally.maybe(guide.timeLimits.note, en.timeLimitNote);
  const read: ServiceGuide = {
    ...guide,
    implementingBody: tally.pick(guide.implementingBody, en.implementingBody),
    handlingUnit: tally.pick(guide.handlingUnit, en.handlingUnit),
    acceptanceConditions: guide.acceptanceConditions.map((c, i) => tally.pick(c, en.acceptanceConditions?.[i])),
    materials: guide.materials.map((m) => materialIn(m, tally)),
    process: guide.process.map((s) => stepIn(s, tally)),
    timeLimits: { ...guide.timeLimits, ...(note !== undefined ? { note } : {}) },
    fee: guide.fee.charged ? { charged: true, basis: tally.pick(guide.fee.basis, en.feeBasis), standard: tally.pick(guide.fee.standard, en.feeStandard) } : guide.fee,
    place: { address: tally.pick(guide.place.address, en.address), windows: tally.pick(guide.place.windows, windowsEn) },
    hours: tally.pick(guide.hours, en.hours),
    faq: guide.faq.map((f) => ({ ...f, q: tally.pick(f.q, f.en?.q), a: tally.pick(f.a, f.en?.a) })),
  };
  return { guide: read, language, texts: tally.texts, untranslated: tally.untranslated };
}
