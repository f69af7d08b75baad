import type { Department, ServiceItem } from '../../core/catalog/catalog.ts';
import { demoCatalog } from '../catalog.ts';
import type { Material, ProcessStep, ServiceGuide } from '../../core/guide/service-guide.ts';

/**
 * Building blocks of the demo content. Every guide of the hall shares its address, hours,
 * supervision line and the wording of the four links; writing them once keeps 70 guides
 * consistent, which is the point of a standardised guide.
 */

export interface DemoEntry {
  service: ServiceItem;
  guide: ServiceGuide;
}

/** A department's counters and the body that decides in its name. */
export interface Desk {
  department: Department;
  implementingBody: string;
  handlingUnit: string;
  consultPhone: string;
  /** the counters' hours when they differ from the hall's */
  hours?: string;
}

export const hallName = '市政务服务中心';
/** 12345 is the national government service hotline, which also takes complaints about halls. */
export const supervisionPhone = '12345';
export const onlineBase = 'https://hall.example/zwfw';

// Worded after the demo hall calendar (hall-calendar-demo.ts): summer and winter afternoons,
// numbers stop before closing, holidays and 调休 follow the State Council's arrangement.
const seasons = '上午9:00—12:00；下午夏季（5—9月）14:00—18:00，冬季（10月—次年4月）13:30—17:00';
export const hallHours = `周一至周五 ${seasons}；上午11:30、下午下班前半小时停止取号；法定节假日休息，调休上班日照常办公`;
export const saturdayHours = `${hallHours}；周六上午9:00—12:00照常办公（11:30停止取号）`;
export const realEstateHours = `周一至周五 ${seasons}；取号截止：上午11:00，下午夏季16:30、冬季16:00；法定节假日休息`;
export const selfServiceHours = `窗口：${hallHours}。24小时自助服务区全天开放，节假日照常`;

export function department(id: string): Department {
  const found = demoCatalog.departments.find((d) => d.id === id);
  if (!found) throw new Error(`department ${id} is not in the foundation's demo catalog`);
  return found;
}

/** The foundation's catalog entry, unchanged: tests and tickets already depend on these. */
export function existingService(id: string): ServiceItem {
  const found = demoCatalog.services.find((s) => s.id === id);
  if (!found) throw new Error(`service ${id} is not in the foundation's demo catalog`);
  return found;
}

export function newService(
  desk: Desk,
  s: { id: string; code: string; zh: string; en: string; prefix: string; dailyQuota: number; windows: [zh: string, en: string] },
): ServiceItem {
  return {
    id: s.id,
    departmentId: desk.department.id,
    code: s.code,
    name: { zh: s.zh, en: s.en },
    prefix: s.prefix,
    dailyQuota: s.dailyQuota,
    windows: { zh: s.windows[0], en: s.windows[1] },
  };
}

/** What each guide says for itself; the rest comes from its desk and catalog entry. */
export type GuideDraft = Omit<
  ServiceGuide,
  'serviceId' | 'code' | 'name' | 'summary' | 'implementingBody' | 'handlingUnit' | 'place' | 'phones' | 'hours' | 'onlineUrl'
> & {
  summary: string;
  summaryEn?: string;
  handlingUnit?: string;
  hours?: string;
  /** null: the service cannot be applied for online */
  onlineUrl?: string | null;
};

export function entry(desk: Desk, service: ServiceItem, draft: GuideDraft): DemoEntry {
  const { summary, summaryEn, handlingUnit, hours, onlineUrl, ...rest } = draft;
  const guide: ServiceGuide = {
    serviceId: service.id,
    code: service.code,
    name: { zh: service.name.zh, en: service.name.en },
    summary: summaryEn ? { zh: summary, en: summaryEn } : { zh: summary },
    implementingBody: desk.implementingBody,
    handlingUnit: handlingUnit ?? desk.handlingUnit,
    place: { address: `${hallName}${desk.department.location.zh}`, windows: service.windows.zh },
    hours: hours ?? (rest.available24h ? selfServiceHours : (desk.hours ?? hallHours)),
    phones: { consult: desk.consultPhone, supervision: supervisionPhone },
    ...rest,
  };
  if (onlineUrl !== null) guide.onlineUrl = onlineUrl ?? `${onlineBase}/${service.id}`;
  return { service, guide };
}

// ---- materials -------------------------------------------------------------------------------

type MaterialOptions = Partial<Omit<Material, 'requirement'>> & { when?: string };

function material(defaults: Material, options: MaterialOptions = {}): Material {
  const { when, ...rest } = options;
  return { ...defaults, ...rest, requirement: when ? { kind: 'conditional', condition: when } : defaults.requirement };
}

export const required = { kind: 'required' } as const;

/** A material the applicant brings; `when` makes it conditional. */
export function own(id: string, name: string, options: MaterialOptions = {}): Material {
  return material({ id, name, form: '原件', copies: 1, medium: '纸质', requirement: required, source: { channel: '申请人自备' } }, options);
}

/** A material another authority issues; `issuer` tells the citizen where to get it. */
export function issued(id: string, name: string, issuer: string, options: MaterialOptions = {}): Material {
  return material({ id, name, form: '原件', copies: 1, medium: '纸质', requirement: required, source: { channel: '政府部门核发', issuer } }, options);
}

/** Pass an `id` when a guide asks for more than one person's card. */
export function idCard(who = '申请人', options: MaterialOptions = {}): Material {
  return issued('id-card', `${who}居民身份证`, '户籍所在地公安机关', {
    specialRequirements: '原件核验后当场退还；在有效期内',
    ...options,
  });
}

/** The signed application form, with its blank form and a filled-in sample from the hall's site. */
export function applicationForm(serviceId: string, title: string, options: MaterialOptions = {}): Material {
  return own('application-form', title, {
    source: { channel: '申请人自备', issuer: '窗口免费领取或网上下载' },
    specialRequirements: '申请人签字（单位申请的加盖公章）',
    blankForm: { title: `${title}（空白表）`, ref: `forms/${serviceId}/application.pdf` },
    sample: { title: `${title}（填写示范）`, ref: `forms/${serviceId}/application-sample.pdf` },
    ...options,
  });
}

/** Someone else may apply on the applicant's behalf with these two papers. */
export function agentMaterials(principal = '申请人'): Material[] {
  const when = '委托他人代为办理的';
  return [
    own('power-of-attorney', '授权委托书', { when, specialRequirements: `${principal}签字或盖章，写明委托事项和权限` }),
    issued('agent-id-card', '受托人居民身份证', '户籍所在地公安机关', { when, specialRequirements: '原件核验后当场退还' }),
  ];
}

export function businessLicence(options: MaterialOptions = {}): Material {
  return issued('business-licence', '营业执照', '市场监督管理部门', {
    form: '原件及复印件',
    medium: '纸质或电子',
    specialRequirements: '可出示电子营业执照代替纸质执照；复印件加盖公章',
    ...options,
  });
}

export function photo(id: string, name: string, specification: string, options: MaterialOptions = {}): Material {
  return own(id, name, { specialRequirements: specification, ...options });
}

// ---- process ---------------------------------------------------------------------------------

export const acceptOnTheSpot =
  '窗口核对申请材料：齐全且符合法定形式的当场受理；不齐全或不符合法定形式的，一次性告知需补正的全部内容。';
export const concludeAtCounter = '窗口通知申请人领取结果，也可选择邮寄送达（邮费由政府承担）。';

export function step(stage: ProcessStep['stage'], name: string, description: string): ProcessStep {
  return { stage, name, description };
}

/** The four links, settled while the applicant waits (即办件). */
export function onTheSpot(result: string): ProcessStep[] {
  return [
    step('受理', '受理', acceptOnTheSpot),
    step('审核', '审核', '窗口工作人员当场审核材料的真实性和一致性。'),
    step('审批', '审批', '符合条件的当场作出决定。'),
    step('办结', '办结', `当场${result}。`),
  ];
}

/**
 * The four links for a case decided later, with special steps (site inspection, public notice …)
 * placed after the link they follow.
 */
export function fourLinks(
  texts: { review: string; approve: string; conclude?: string; accept?: string },
  specials: { after: '受理' | '审核' | '审批'; name: string; description: string }[] = [],
): ProcessStep[] {
  const out: ProcessStep[] = [];
  const stages: [ProcessStep['stage'], string][] = [
    ['受理', texts.accept ?? acceptOnTheSpot],
    ['审核', texts.review],
    ['审批', texts.approve],
    ['办结', texts.conclude ?? concludeAtCounter],
  ];
  for (const [stage, description] of stages) {
    out.push(step(stage, stage, description));
    for (const s of specials.filter((x) => x.after === stage)) out.push(step('特别程序', s.name, s.description));
  }
  return out;
}

// ---- fees ------------------------------------------------------------------------------------

export const free = { charged: false } as const;

export const realEstateFee = {
  charged: true,
  basis: '《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）',
  standard: '住宅类每件80元，非住宅类每件550元；含一本证书，每增加一本加收工本费10元',
} as const;
