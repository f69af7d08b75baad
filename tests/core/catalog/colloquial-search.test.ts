import { describe, expect, it } from 'vitest';
import { buildServiceSearchIndex } from '../../../core/catalog/search.ts';
import { colloquialQueries, heldOutQueries, hitRates, issueExamples } from './colloquial-queries.ts';
import { demoGuides, fullDemoCatalog } from '../../support/demo-hall.ts';

const index = buildServiceSearchIndex(fullDemoCatalog, demoGuides);
const withoutSynonyms = buildServiceSearchIndex({ ...fullDemoCatalog, synonyms: [] }, demoGuides);

describe('search as citizens ask', () => {
  it('has at least 150 queries, each naming a service of the demo hall', () => {
    expect(colloquialQueries.length).toBeGreaterThanOrEqual(150);
    const ids = new Set(fullDemoCatalog.services.map((s) => s.id));
    expect(colloquialQueries.filter(([, id]) => !ids.has(id))).toEqual([]);
  });

  it('puts the service a clerk would name in the first three for 95 % and first for 85 %', () => {
    const rates = hitRates(index);
    expect(rates.top3, JSON.stringify(rates.misses)).toBeGreaterThanOrEqual(0.95);
    expect(rates.top1).toBeGreaterThanOrEqual(0.85);
  });

  it('holds the same rates over the held-out queries, reported apart from the rest', () => {
    expect(heldOutQueries.length).toBeGreaterThanOrEqual(40);
    const ids = new Set(fullDemoCatalog.services.map((s) => s.id));
    expect(heldOutQueries.filter(([, id]) => !ids.has(id))).toEqual([]);
    const tuned = new Set(colloquialQueries.map(([q]) => q));
    expect(heldOutQueries.filter(([q]) => tuned.has(q))).toEqual([]);
    const rates = hitRates(index, heldOutQueries);
    console.info(`held-out colloquial queries: ${rates.queries}, top-1 ${(rates.top1 * 100).toFixed(1)} %, top-3 ${(rates.top3 * 100).toFixed(1)} %`);
    expect(rates.top3, JSON.stringify(rates.misses)).toBeGreaterThanOrEqual(0.95);
    expect(rates.top1).toBeGreaterThanOrEqual(0.85);
  });

  it.each(issueExamples)('%s finds %s first', (query, expected) => {
    expect(index.search(query, { limit: 3 })[0]?.serviceId).toBe(expected);
  });

  it('reads the hall’s 俗称 table from the catalog, for Chinese, pinyin and initials', () => {
    // 长寿金 is the hall's word for 高龄津贴; nothing in the guide says it
    for (const query of ['长寿金', 'changshoujin', 'csj', '领长寿金']) {
      expect(index.search(query, { limit: 3 })[0]?.serviceId, query).toBe('senior-allowance');
      expect(withoutSynonyms.search(query, { limit: 3 })[0]?.serviceId, query).not.toBe('senior-allowance');
    }
  });

  it('does not let noise block a match: 我想, 办, 怎么, 需要什么材料', () => {
    for (const query of ['我想办居住证', '居住证怎么办理', '居住证需要什么材料', '请问在哪里办居住证']) {
      const [first] = index.search(query, { limit: 3 });
      expect(first?.serviceId, query).toBe('residence-permit');
      expect(first?.coverage, query).toBe(1);
    }
    for (const query of ['woxiangbanjuzhuzheng', 'juzhuzhengzenmebanli', 'shenqingdibao']) {
      expect(index.search(query, { limit: 3 })[0]?.serviceId, query).toBe(query.includes('dibao') ? 'subsistence-allowance' : 'residence-permit');
    }
  });

  it('ranks by how much of the query is covered and highlights the words in the name', () => {
    const hits = index.search('提取公积金', { limit: 3 });
    expect(hits[0]).toMatchObject({ serviceId: 'fund-withdrawal', coverage: 1, highlights: [{ start: 2, end: 7 }] });
    expect(hits[1]!.coverage).toBeLessThan(1);
    // 住房公积金提取: 公积金 and 提取 are marked, as one span since they touch
    const partial = index.search('公积金打官司', { limit: 3 });
    expect(partial.length).toBe(3);
    expect(partial.every((h) => h.coverage > 0 && h.coverage < 1)).toBe(true);
  });

  it('finds nothing rather than guessing from single characters', () => {
    expect(index.search('打官司', { limit: 3 })).toEqual([]);
  });

  it('ranks the tax services first for "tax", not a pinyin that starts with ta', () => {
    const hits = index.search('tax', { limit: 5 });
    expect(hits.map((h) => h.serviceId).slice(0, 3).every((id) => fullDemoCatalog.services.find((s) => s.id === id)!.departmentId === 'tax')).toBe(true);
    expect(hits[0]!.serviceId).not.toBe('re-mortgage');
  });
});
