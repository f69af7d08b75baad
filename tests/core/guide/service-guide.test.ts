import { describe, expect, it } from 'vitest';
import { catalogSchema } from '../../../core/catalog/catalog.ts';
import { serviceCategories, servicesByCategory } from '../../../core/catalog/categories.ts';
import { guideMismatches, isInstant, serviceGuideSchema, serviceGuidesSchema } from '../../../core/guide/service-guide.ts';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { demoCatalog, demoGuides, demoHallRules, fullDemoCatalog } from '../../support/demo-hall.ts';

const guideOf = (id: string): ServiceGuide => {
  const guide = demoGuides[id];
  if (!guide) throw new Error(`no guide for ${id}`);
  return guide;
};

describe('the demo hall', () => {
  it('is a valid catalog of at least 10 departments and 60 services', () => {
    expect(catalogSchema.safeParse(fullDemoCatalog).error).toBeUndefined();
    expect(fullDemoCatalog.departments.length).toBeGreaterThanOrEqual(10);
    expect(fullDemoCatalog.services.length).toBeGreaterThanOrEqual(60);
    for (const d of fullDemoCatalog.departments) {
      expect(fullDemoCatalog.services.some((s) => s.departmentId === d.id), `${d.id} has services`).toBe(true);
    }
  });

  it('keeps every department, service and ticket prefix of the foundation catalog unchanged', () => {
    for (const d of demoCatalog.departments) expect(fullDemoCatalog.departments).toContainEqual(d);
    for (const s of demoCatalog.services) expect(fullDemoCatalog.services).toContainEqual(s);
    const prefixOf = new Map(fullDemoCatalog.services.map((s) => [s.id, s.prefix]));
    expect(Object.fromEntries(['biz-registration', 'sole-trader', 'ss-card', 'fund-withdrawal', 'residence-permit'].map((id) => [id, prefixOf.get(id)])))
      .toEqual({ 'biz-registration': 'A', 'sole-trader': 'B', 'ss-card': 'D', 'fund-withdrawal': 'F', 'residence-permit': 'H' });
  });

  it('gives every service a unique id, code and ticket prefix, avoiding I and O on tickets', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(fullDemoCatalog.services.map((s) => s.id))).toBe(true);
    expect(unique(fullDemoCatalog.services.map((s) => s.code))).toBe(true);
    expect(unique(fullDemoCatalog.services.map((s) => s.prefix))).toBe(true);
    expect(unique(fullDemoCatalog.departments.map((d) => d.id))).toBe(true);
    // I and O read as 1 and 0 on a ticket and on the calling screen
    expect(fullDemoCatalog.services.filter((s) => /[IO]/.test(s.prefix)).map((s) => s.prefix)).toEqual([]);
  });

  it('has a valid guide for every service and none for services it does not have', () => {
    const parsed = serviceGuidesSchema.safeParse(demoGuides);
    expect(parsed.error?.issues.slice(0, 5)).toBeUndefined();
    expect(Object.keys(demoGuides).sort()).toEqual(fullDemoCatalog.services.map((s) => s.id).sort());
    expect(guideMismatches(fullDemoCatalog, demoGuides)).toEqual([]);
  });

  it('covers the browsing categories, the 24-hour area and on-the-spot services', () => {
    const guides = Object.values(demoGuides);
    const used = new Set(guides.map((g) => g.category));
    expect(serviceCategories.filter((c) => !used.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(guides.filter((g) => g.available24h).length).toBeGreaterThanOrEqual(5);
    expect(guides.filter(isInstant).length).toBeGreaterThanOrEqual(10);
    expect(guides.filter((g) => g.fee.charged).length).toBeGreaterThanOrEqual(3);
  });

  it('agrees with the demo hall calendar on which services run around the clock', () => {
    for (const rule of demoHallRules.services) {
      expect(guideOf(rule.serviceId).available24h, rule.serviceId).toBe(rule.aroundTheClock === true);
    }
    expect(guideOf('pension').hours).toContain('一、三、五上午'); // its timetable: Mon, Wed, Fri mornings
    expect(guideOf('exit-entry').hours).toContain('周六上午');
  });

  it('writes guides a citizen can prepare from', () => {
    for (const guide of Object.values(demoGuides)) {
      const at = guide.serviceId;
      expect(guide.keywords.length, `${at} keywords`).toBeGreaterThanOrEqual(3);
      expect(guide.faq.length, `${at} FAQ`).toBeGreaterThanOrEqual(1);
      expect(guide.materials.some((m) => m.requirement.kind === 'required'), `${at} has a required material`).toBe(true);
      expect(guide.process.map((p) => p.stage).filter((s) => s !== '特别程序'), `${at} four links`).toEqual(['受理', '审核', '审批', '办结']);
      expect(guide.onlineUrl === undefined || guide.onlineUrl.startsWith('https://'), `${at} online address`).toBe(true);
    }
  });

  it('says what a sole trader needs, with conditions and where to get each paper', () => {
    const guide = guideOf('sole-trader');
    expect(guide).toMatchObject({ type: '行政许可', category: 'business-startup', visits: 1, fee: { charged: false } });
    expect(isInstant(guide)).toBe(true);
    const idCard = guide.materials.find((m) => m.id === 'id-card');
    expect(idCard).toMatchObject({ name: '经营者居民身份证', requirement: { kind: 'required' }, source: { channel: '政府部门核发', issuer: '户籍所在地公安机关' } });
    const proxy = guide.materials.find((m) => m.id === 'power-of-attorney');
    expect(proxy?.requirement).toEqual({ kind: 'conditional', condition: '委托他人代为办理的' });
    expect(guide.materials.find((m) => m.id === 'application-form')?.blankForm?.ref).toBe('forms/sole-trader/application.pdf');
  });
});

describe('the guide schema', () => {
  const valid = guideOf('food-licence');

  it('accepts a full guide', () => {
    expect(serviceGuideSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['a promised limit beyond the statutory one', { timeLimits: { statutoryWorkingDays: 5, promisedWorkingDays: 10 } }, 'timeLimits.promisedWorkingDays'],
    ['the four links out of order', { process: [...valid.process].reverse() }, 'process'],
    ['a material id used twice', { materials: [valid.materials[0]!, valid.materials[0]!] }, 'materials.1.id'],
    ['a conditional material without its condition', { materials: [{ ...valid.materials[0]!, requirement: { kind: 'conditional' } }] }, 'materials.0.requirement.condition'],
    ['an online address that is not ASCII', { onlineUrl: 'https://hall.example/办事' }, 'onlineUrl'],
    ['a law without its title marks', { legalBasis: [{ law: '食品安全法' }] }, 'legalBasis.0.law'],
    ['an unknown category', { category: 'leisure' }, 'category'],
    ['empty hours', { hours: ' ' }, 'hours'],
    ['copies of zero', { materials: [{ ...valid.materials[0]!, copies: 0 }] }, 'materials.0.copies'],
  ])('refuses %s', (_what, change, path) => {
    const parsed = serviceGuideSchema.safeParse({ ...valid, ...change });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('files guides under their own service id', () => {
    const parsed = serviceGuidesSchema.safeParse({ 'ss-card': valid });
    expect(parsed.error?.issues[0]?.path).toEqual(['ss-card', 'serviceId']);
  });

  it('finds guides that disagree with the catalog', () => {
    const { 'ss-card': _dropped, ...rest } = demoGuides;
    const guides = { ...rest, pension: { ...guideOf('pension'), code: 'RS-999' }, stray: { ...valid, serviceId: 'stray' } };
    expect(guideMismatches(fullDemoCatalog, guides)).toEqual([
      { serviceId: 'ss-card', problem: 'no guide' },
      { serviceId: 'pension', problem: 'guide code RS-999 differs from catalog code RS-002' },
      { serviceId: 'stray', problem: 'guide for a service not in the catalog' },
    ]);
  });
});

describe('browsing by category', () => {
  it('groups services in category order and keeps services without a guide', () => {
    const groups = servicesByCategory(demoCatalog, (id) => (id === 'exit-entry' ? undefined : demoGuides[id]?.category));
    expect(groups.map((g) => g.category)).toEqual(['business-startup', 'business-licensing', 'social-insurance', 'housing', 'real-estate', 'identity', null]);
    expect(groups.find((g) => g.category === 'housing')?.services.map((s) => s.id)).toEqual(['fund-withdrawal', 'fund-loan']);
    expect(groups.at(-1)?.services.map((s) => s.id)).toEqual(['exit-entry']);
  });
});
