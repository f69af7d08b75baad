import { describe, expect, it } from 'vitest';
import { guideInLanguage, translationOf } from '../../../core/guide/guide-language.ts';
import { serviceGuideSchema } from '../../../core/guide/service-guide.ts';
import type { ServiceGuide } from '../../../core/guide/service-guide.ts';
import { demoGuides, fullDemoCatalog } from '../../support/demo-hall.ts';

const chineseOnly = (guide: ServiceGuide): ServiceGuide => {
  const { en: _en, ...rest } = guide;
  return {
    ...rest,
    name: { zh: guide.name.zh },
    summary: { zh: guide.summary.zh },
    materials: guide.materials.map(({ en: _m, ...m }) => m),
    process: guide.process.map(({ en: _s, ...s }) => s),
    faq: guide.faq.map(({ en: _f, ...f }) => f),
  };
};

describe('a guide read in a language', () => {
  const base = chineseOnly(demoGuides['ss-card']!);

  it('is the guide itself in Chinese', () => {
    const read = guideInLanguage(base, 'zh');
    expect(read.guide).toBe(base);
    expect(translationOf(read)).toBe('complete');
  });

  it('is all Chinese, and says so, when nothing is translated', () => {
    const read = guideInLanguage(base, 'en');
    expect(read.guide.materials.map((m) => m.name)).toEqual(base.materials.map((m) => m.name));
    expect(read.untranslated).toBe(read.texts);
    expect(translationOf(read)).toBe('none');
  });

  it('takes each English text where there is one and counts the rest as Chinese', () => {
    const partly: ServiceGuide = {
      ...base,
      name: { zh: base.name.zh, en: 'Social security card' },
      en: { hours: 'Monday to Friday 9:00–17:00', acceptanceConditions: base.acceptanceConditions.map((_, i) => (i === 0 ? 'Insured here' : null)) },
      materials: base.materials.map((m, i) => (i === 0 ? { ...m, en: { name: 'Identity card' } } : m)),
    };
    expect(serviceGuideSchema.safeParse(partly).error).toBeUndefined();
    const read = guideInLanguage(partly, 'en', 'Windows 7–12');
    expect(read.guide.hours).toBe('Monday to Friday 9:00–17:00');
    expect(read.guide.acceptanceConditions[0]).toBe('Insured here');
    expect(read.guide.acceptanceConditions.slice(1)).toEqual(base.acceptanceConditions.slice(1));
    expect(read.guide.materials[0]!.name).toBe('Identity card');
    expect(read.guide.materials[1]!.name).toBe(base.materials[1]!.name);
    expect(read.guide.place.windows).toBe('Windows 7–12');
    expect(read.texts - read.untranslated).toBe(5);
    expect(translationOf(read)).toBe('partial');
  });

  it('refuses English for a text the guide does not have', () => {
    const required = base.materials.findIndex((m) => m.requirement.kind === 'required');
    const bad = { ...base, materials: base.materials.map((m, i) => (i === required ? { ...m, en: { condition: 'For an agent' } } : m)) };
    expect(serviceGuideSchema.safeParse(bad).error?.issues.map((i) => i.message)).toEqual(['English condition without the Chinese text it translates']);
  });
});

describe('the demo hall in English', () => {
  it('has every text of its 20 most used services (by daily quota) in English, and others still without', () => {
    const byUse = [...fullDemoCatalog.services].sort((a, b) => b.dailyQuota - a.dailyQuota);
    const mostUsed = byUse.slice(0, 20);
    // The twentieth and twenty-first must not tie, or "the 20 most used" would be a choice.
    expect(byUse[19]!.dailyQuota).toBeGreaterThan(byUse[20]!.dailyQuota);
    for (const service of mostUsed) {
      const read = guideInLanguage(demoGuides[service.id]!, 'en', service.windows.en);
      expect(read.untranslated, `${service.id} untranslated texts`).toBe(0);
      expect(read.guide.materials.map((m) => m.name).join(''), service.id).not.toMatch(/\p{Script=Han}/u);
    }
    expect(translationOf(guideInLanguage(demoGuides['pension']!, 'en'))).toBe('partial');
  });
});
