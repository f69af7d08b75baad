import { z } from 'zod';
import type { Catalog } from '../catalog/catalog.ts';
import { serviceCategoryIds } from '../catalog/categories.ts';

/**
 * The service guide (办事指南) of one service item: everything a citizen needs to prepare, in the
 * elements of national practice (docs/architecture.md §5). The one-time disclosure slip (一次性告知单) is
 * printed from `materials`, so each material carries enough to say what is missing, how it must
 * be presented and where to get it.
 */

const text = z.string().trim().min(1);

/** Chinese is what the hall publishes; English is offered where a translation helps visitors. */
const zhFirstTextSchema = z.object({ zh: text, en: text.optional() });

/**
 * The English of a record's texts, beside the Chinese it translates: each text may or may not have
 * one, and a key that names no text of the record is refused rather than dropped unseen.
 */
const englishOf = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape).partial().optional();

/** Power types of the national list of government powers (权力清单) plus public services. */
export const serviceTypes = [
  '行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查',
  '行政确认', '行政奖励', '行政裁决', '其他行政权力', '公共服务',
] as const;
export type ServiceType = (typeof serviceTypes)[number];

export const legalBasisSchema = z.object({
  /** the law or regulation with its title marks, e.g. 《中华人民共和国行政许可法》 */
  law: text.regex(/^《.+》/, 'law: start with the title in 《》'),
  /** e.g. 第三十二条; left out when the whole instrument is the basis */
  article: text.optional(),
});
export type LegalBasis = z.infer<typeof legalBasisSchema>;

export const materialForms = ['原件', '复印件', '原件及复印件', '电子证照'] as const;
export const materialMedia = ['纸质', '电子', '纸质或电子'] as const;
export const materialChannels = ['申请人自备', '政府部门核发', '中介机构出具', '其他'] as const;

/** A path or identifier of a file the hall hosts (blank form, filled-in sample); ASCII so it fits a QR code. */
const documentRefSchema = z.object({
  title: text,
  ref: z.string().regex(/^[\x21-\x7E]+$/, 'ref: printable ASCII without spaces'),
});

export const materialSchema = z.object({
  /** stable within its guide: checklists and printed slips refer to materials by it */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'material id: lower-case words joined by dashes'),
  name: text,
  form: z.enum(materialForms),
  copies: z.number().int().min(1).max(20),
  medium: z.enum(materialMedia),
  requirement: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('required') }),
    /** the condition is printed on the slip so the citizen can judge whether it applies */
    z.object({ kind: z.literal('conditional'), condition: text }),
  ]),
  source: z.object({
    channel: z.enum(materialChannels),
    /** where to obtain it, e.g. 户籍所在地派出所; printed on the slip next to a missing material */
    issuer: text.optional(),
  }),
  /** 特别要求: signatures, seals, paper size, validity */
  specialRequirements: text.optional(),
  blankForm: documentRefSchema.optional(),
  sample: documentRefSchema.optional(),
  /** English of `name`, the condition, the issuer, the special requirements and the document titles */
  en: englishOf({ name: text, condition: text, issuer: text, specialRequirements: text, blankForm: text, sample: text }),
});
export type Material = z.infer<typeof materialSchema>;

/** The hall's four links (四个环节), in the order a case must pass them. */
export const standardStages = ['受理', '审核', '审批', '办结'] as const;

export const processStepSchema = z.object({
  /**
   * 特别程序 are steps such as site inspection, public notice, hearing or the divorce cooling-off
   * period; the law excludes their time from the time limit (行政许可法 §45), so they are kept
   * apart from the four links.
   */
  stage: z.enum([...standardStages, '特别程序']),
  name: text,
  description: text,
  en: englishOf({ name: text, description: text }),
});
export type ProcessStep = z.infer<typeof processStepSchema>;

const phone = z.string().regex(/^[0-9][0-9-]{2,19}$/, 'phone: digits and dashes');

export const serviceGuideSchema = z
  .object({
    serviceId: z.string().min(1),
    /** 事项编码, the same as the catalog's `code` */
    code: text,
    name: zhFirstTextSchema,
    summary: zhFirstTextSchema,
    type: z.enum(serviceTypes),
    category: z.enum(serviceCategoryIds),
    legalBasis: z.array(legalBasisSchema).min(1),
    /** 实施主体 (the body in whose name the decision is made) and the unit that handles the case */
    implementingBody: text,
    handlingUnit: text,
    acceptanceConditions: z.array(text).min(1),
    materials: z.array(materialSchema).min(1),
    process: z.array(processStepSchema).min(2),
    timeLimits: z.object({
      /**
       * Working days, or null where the law sets none. For 行政许可 the law's "日" are working days
       * (行政许可法 §82); where another law counts calendar days the figure is null and the note
       * quotes the law, rather than converting it and misquoting it.
       */
      statutoryWorkingDays: z.number().int().min(0).nullable(),
      /** the hall's promise, in working days; 0 means 即办件 (settled on the spot) */
      promisedWorkingDays: z.number().int().min(0),
      note: text.optional(),
    }),
    /** 到现场次数: 0 = entirely online */
    visits: z.number().int().min(0).max(5),
    fee: z.discriminatedUnion('charged', [
      z.object({ charged: z.literal(false) }),
      z.object({ charged: z.literal(true), basis: text, standard: text }),
    ]),
    place: z.object({ address: text, windows: text }),
    /**
     * 办理时间 as the guide publishes it. When a service is open now is the hall calendar's to say
     * (hall-calendar.ts, which knows seasons, holidays and 调休); this is the sentence citizens read.
     */
    hours: text,
    phones: z.object({ consult: phone, supervision: phone }),
    /** 网上办理地址; ASCII so it can go into a QR code on the printed slip */
    onlineUrl: z.url({ protocol: /^https?$/ }).regex(/^[\x21-\x7E]+$/, 'online address: ASCII only').optional(),
    faq: z.array(z.object({ q: text, a: text, en: englishOf({ q: text, a: text }) })),
    /** words citizens use for the service (营业执照, 暂住证, 过户 …); the search index reads them */
    keywords: z.array(text),
    /** can be handled at the self-service machines of the 24-hour area */
    available24h: z.boolean(),
    /**
     * English of the guide's own texts (a material's, a step's and a question's sit with them).
     * Acceptance conditions pair by position, null where one is not translated. Law titles are
     * cited as enacted, in Chinese.
     */
    en: englishOf({
      implementingBody: text,
      handlingUnit: text,
      acceptanceConditions: z.array(text.nullable()),
      timeLimitNote: text,
      feeBasis: text,
      feeStandard: text,
      address: text,
      hours: text,
    }),
  })
  .superRefine((g, ctx) => {
    const ids = new Set<string>();
    g.materials.forEach((m, i) => {
      if (ids.has(m.id)) ctx.addIssue({ code: 'custom', path: ['materials', i, 'id'], message: `material id ${m.id} is used twice` });
      ids.add(m.id);
    });
    const standard = g.process.filter((s) => s.stage !== '特别程序').map((s) => standardStages.indexOf(s.stage as (typeof standardStages)[number]));
    if (standard[0] !== 0 || standard.at(-1) !== standardStages.length - 1) {
      ctx.addIssue({ code: 'custom', path: ['process'], message: 'the process must start with 受理 and end with 办结' });
    }
    if (standard.some((stage, i) => i > 0 && stage < standard[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['process'], message: 'the four links must come in the order 受理→审核→审批→办结' });
    }
    for (const problem of englishWithoutChinese(g)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
    const { statutoryWorkingDays, promisedWorkingDays } = g.timeLimits;
    if (statutoryWorkingDays !== null && promisedWorkingDays > statutoryWorkingDays) {
      ctx.addIssue({ code: 'custom', path: ['timeLimits', 'promisedWorkingDays'], message: 'the promised time limit exceeds the statutory one' });
    }
  });
export type ServiceGuide = z.infer<typeof serviceGuideSchema>;

/** English is a translation: an English text with no Chinese one beside it would be shown to no one in Chinese. */
function englishWithoutChinese(g: ServiceGuide): { path: (string | number)[]; message: string }[] {
  const found: { path: (string | number)[]; message: string }[] = [];
  const orphan = (path: (string | number)[], what: string) => found.push({ path, message: `English ${what} without the Chinese text it translates` });
  const conditions = g.en?.acceptanceConditions;
  if (conditions && conditions.length !== g.acceptanceConditions.length) {
    found.push({ path: ['en', 'acceptanceConditions'], message: `${conditions.length} English acceptance conditions for ${g.acceptanceConditions.length} Chinese ones: pair them by position, null where one is not translated` });
  }
  if (g.en?.timeLimitNote !== undefined && g.timeLimits.note === undefined) orphan(['en', 'timeLimitNote'], 'time-limit note');
  if (!g.fee.charged) {
    if (g.en?.feeBasis !== undefined) orphan(['en', 'feeBasis'], 'fee basis');
    if (g.en?.feeStandard !== undefined) orphan(['en', 'feeStandard'], 'fee standard');
  }
  g.materials.forEach((m, i) => {
    if (m.en?.condition !== undefined && m.requirement.kind !== 'conditional') orphan(['materials', i, 'en', 'condition'], 'condition');
    if (m.en?.issuer !== undefined && m.source.issuer === undefined) orphan(['materials', i, 'en', 'issuer'], 'issuer');
    if (m.en?.specialRequirements !== undefined && m.specialRequirements === undefined) orphan(['materials', i, 'en', 'specialRequirements'], 'special requirements');
    if (m.en?.blankForm !== undefined && m.blankForm === undefined) orphan(['materials', i, 'en', 'blankForm'], 'blank form title');
    if (m.en?.sample !== undefined && m.sample === undefined) orphan(['materials', i, 'en', 'sample'], 'sample title');
  });
  return found;
}

/** All guides of a hall, keyed by service id. */
export const serviceGuidesSchema = z.record(z.string(), serviceGuideSchema).superRefine((guides, ctx) => {
  for (const [key, guide] of Object.entries(guides)) {
    if (guide.serviceId !== key) ctx.addIssue({ code: 'custom', path: [key, 'serviceId'], message: `guide filed under ${key} is for ${guide.serviceId}` });
  }
});
export type ServiceGuides = z.infer<typeof serviceGuidesSchema>;

export function isInstant(guide: ServiceGuide): boolean {
  return guide.timeLimits.promisedWorkingDays === 0;
}

export interface GuideMismatch {
  serviceId: string;
  problem: string;
}

/**
 * What does not agree between a catalog and its guides. Both are published together, and a
 * ticket printed from the catalog must name the same service and code as the guide beside it.
 */
export function guideMismatches(catalog: Catalog, guides: Readonly<Record<string, ServiceGuide>>): GuideMismatch[] {
  const found: GuideMismatch[] = [];
  const serviceIds = new Set(catalog.services.map((s) => s.id));
  for (const service of catalog.services) {
    const guide = Object.hasOwn(guides, service.id) ? guides[service.id] : undefined;
    if (!guide) {
      found.push({ serviceId: service.id, problem: 'no guide' });
      continue;
    }
    if (guide.code !== service.code) found.push({ serviceId: service.id, problem: `guide code ${guide.code} differs from catalog code ${service.code}` });
    if (guide.name.zh !== service.name.zh) found.push({ serviceId: service.id, problem: `guide name ${guide.name.zh} differs from catalog name ${service.name.zh}` });
    if (guide.place.windows !== service.windows.zh) found.push({ serviceId: service.id, problem: `guide windows ${guide.place.windows} differ from catalog windows ${service.windows.zh}` });
  }
  for (const id of Object.keys(guides)) {
    if (!serviceIds.has(id)) found.push({ serviceId: id, problem: 'guide for a service not in the catalog' });
  }
  return found;
}
