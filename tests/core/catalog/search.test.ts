import { describe, expect, it } from 'vitest';
import { bestEditDistance, patternMasks } from '../../../core/text/edit-distance.ts';
import { analyseText, foldQuery } from '../../../core/text/pinyin-text.ts';
import { buildServiceSearchIndex, rankBand } from '../../../core/catalog/search.ts';
import type { MatchKind, RankedField, RankedKind } from '../../../core/catalog/search.ts';
import { demoCatalog, demoGuides, fullDemoCatalog } from '../../support/demo-hall.ts';

const index = buildServiceSearchIndex(fullDemoCatalog, demoGuides);
const top = (query: string) => index.search(query, { limit: 5 });
const ids = (query: string, limit = 5) => index.search(query, { limit }).map((h) => h.serviceId);

type Row = [query: string, expected: string, kind: MatchKind];

// What citizens type, and the service that must come first.
const table: { group: string; rows: Row[] }[] = [
  {
    group: 'Chinese text',
    rows: [
      ['个体工商户登记', 'sole-trader', 'exact'],
      ['企业设立', 'biz-registration', 'prefix'],
      ['公积金提取', 'fund-withdrawal', 'infix'],
      ['营业执照', 'biz-registration', 'exact'], // a keyword of two services: the shorter name first
      ['暂住证', 'residence-permit', 'exact'], // the old word for 居住证, as a keyword
      ['护照', 'exit-entry', 'exact'],
      ['社保卡', 'ss-card', 'subsequence'], // an abbreviation of 社会保障卡申领
      ['异地就医', 'offsite-medical-filing', 'prefix'],
      ['继承受遗赠', 're-inheritance', 'prefix'], // the brackets of the name do not get in the way
      ['低保', 'subsistence-allowance', 'subsequence'], // 最低生活保障申请: the name outranks the keyword 低保
      ['公基金', 'fund-withdrawal', 'homophone'], // a wrong character with the right sound
    ],
  },
  {
    group: 'full pinyin',
    rows: [
      ['getigongshanghudengji', 'sole-trader', 'exact'],
      ['ge ti gong shang hu', 'sole-trader', 'prefix'],
      ['gōng jī jīn tí qǔ', 'fund-withdrawal', 'infix'],
      ['gong1ji1jin1 ti2qu3', 'fund-withdrawal', 'infix'],
      ['juzhuzheng', 'residence-permit', 'prefix'],
      ['huzhao', 'exit-entry', 'exact'],
      ['jiehundengji', 'marriage-registration', 'exact'],
      ['shebaoka', 'ss-card', 'exact'],
      ['tiqianhuankuan', 'fund-loan-prepayment', 'infix'], // 还 read huán although the dictionary says hái
      ["xin'fang'ban'zheng", 'new-home-title', 'exact'],
    ],
  },
  {
    group: 'pinyin initials',
    rows: [
      ['gtgsh', 'sole-trader', 'initials'],
      ['gjjtq', 'fund-withdrawal', 'infix'],
      ['jzz', 'residence-permit', 'initials'],
      ['bdczydj', 're-transfer', 'initials'],
      ['jhdj', 'marriage-registration', 'initials'],
      ['ＧＴＧＳＨ', 'sole-trader', 'initials'], // full-width letters from a Chinese keyboard
      ['gongjjtq', 'fund-withdrawal', 'infix'], // full pinyin and initials mixed
    ],
  },
  {
    group: 'partial input while typing',
    rows: [
      ['qiyes', 'biz-registration', 'prefix'],
      ['juzh', 'residence-permit', 'prefix'],
      ['huz', 'exit-entry', 'prefix'], // 护照, not 户注 inside 个体工商户注销登记
      ['不动产抵', 're-mortgage', 'prefix'],
      ['jiash', 'driving-licence-renewal', 'prefix'], // 驾驶, not 建设 (jian she) cut short
      ['lih', 'divorce-registration', 'prefix'],
    ],
  },
  {
    group: 'one typo in the pinyin',
    rows: [
      ['gongjijing', 'fund-withdrawal', 'fuzzy'], // a letter too many
      ['gongjiin', 'fund-withdrawal', 'fuzzy'], // a letter missing
      ['juzuzheng', 'residence-permit', 'words'], // zh typed as z, as southern speakers do; read word by word
      ['shebaokka', 'ss-card', 'fuzzy'],
      ['zhufanggongjijintiqv', 'fund-withdrawal', 'fuzzy'], // a wrong letter
      ['lihumdengji', 'divorce-registration', 'words'], // m for n: lihum is one letter from 离婚, then 登记
      ['jiashizhemg', 'driving-licence-renewal', 'fuzzy'],
    ],
  },
  {
    group: 'other ways in',
    rows: [
      ['passport', 'exit-entry', 'words'], // whole English words rank above pinyin that happens to start the same
      ['marriage', 'marriage-registration', 'words'],
      ['GJJ-001', 'fund-withdrawal', 'code'],
      ['公积jin', 'fund-withdrawal', 'homophone'], // a pinyin keyboard mid-word
    ],
  },
];

describe('service search: the query table', () => {
  it('has at least 30 queries of every kind', () => {
    expect(table.flatMap((g) => g.rows).length).toBeGreaterThanOrEqual(30);
  });

  for (const { group, rows } of table) {
    describe(group, () => {
      it.each(rows)('%s → %s (%s)', (query, expected, kind) => {
        const [first] = top(query);
        expect(first?.serviceId, JSON.stringify(top(query).map((h) => [h.serviceId, h.kind, h.matched]))).toBe(expected);
        expect(first?.kind).toBe(kind);
      });
    });
  }
});

describe('service search: ranking', () => {
  it('ranks exact names, then prefixes, initials, keywords, the department, and typos last', () => {
    const order: [RankedField, RankedKind][] = [
      ['name', 'exact'], ['name', 'prefix'], ['name', 'initials'], ['name', 'infix'],
      ['keyword', 'exact'], ['keyword', 'prefix'], ['keyword', 'initials'],
      ['department', 'exact'], ['name', 'homophone'], ['name', 'fuzzy'], ['keyword', 'fuzzy'],
    ];
    const bands = order.map(([field, kind]) => rankBand(field, kind));
    expect([...bands].sort((a, b) => b - a)).toEqual(bands);
  });

  it('puts the exact name before a longer name that starts with it', () => {
    expect(ids('个体工商户登记', 2)).toEqual(['sole-trader', 'sole-trader-deregistration']);
    expect(ids('jiehun', 2)).toEqual(['marriage-registration', 'marriage-certificate-reissue']);
  });

  it('prefers shorter names among equal matches', () => {
    const hits = top('gjj');
    expect(hits.map((h) => h.serviceId).slice(0, 2)).toEqual(['fund-withdrawal', 'fund-loan']);
    expect(new Set(hits.map((h) => h.kind))).toEqual(new Set(['infix']));
  });

  it('lists every service whose name matches before keyword-only matches', () => {
    const hits = index.search('dengji', { limit: 100 });
    const firstKeyword = hits.findIndex((h) => h.field !== 'name');
    expect(firstKeyword).toBeGreaterThan(20);
    expect(hits.slice(0, firstKeyword).every((h) => fullDemoCatalog.services.find((s) => s.id === h.serviceId)!.name.zh.includes('登记'))).toBe(true);
  });

  it('finds all services of a department by its name, after services named by the query', () => {
    const hits = index.search('公安', { limit: 20 });
    expect(hits.map((h) => h.serviceId)).toEqual(expect.arrayContaining(['residence-permit', 'exit-entry', 'id-card', 'driving-licence-renewal']));
    expect(hits.every((h) => h.field === 'department')).toBe(true);
  });

  it('does not reach for typos when exact matches fill the page', () => {
    expect(index.search('shebao', { limit: 3 }).map((h) => h.kind)).not.toContain('fuzzy');
    expect(index.search('yib', { limit: 20 }).some((h) => h.kind === 'fuzzy')).toBe(false); // too short to guess typos
  });
});

describe('service search: results', () => {
  it('marks the matched part of the name', () => {
    const [hit] = top('公积金');
    expect(hit).toMatchObject({ serviceId: 'fund-withdrawal', field: 'name', highlights: [{ start: 2, end: 5 }] });
    const [initials] = top('gtgsh');
    expect(initials?.highlights).toEqual([{ start: 0, end: 5 }]);
    const [bracketed] = top('受遗赠不动产');
    expect(bracketed?.highlights).toEqual([{ start: 3, end: 10 }]); // 受遗赠）不动产 in 继承（受遗赠）不动产转移登记
  });

  it('filters by department, category and the 24-hour area', () => {
    expect(index.search('zhengming', { departmentId: 'tax' }).map((h) => h.serviceId)).toEqual(['tax-certificate']);
    const civil = index.search('登记', { category: 'civil-affairs' });
    expect(civil.slice(0, 3).map((h) => h.serviceId).sort()).toEqual(['divorce-registration', 'marriage-certificate-reissue', 'marriage-registration']);
    expect(civil.slice(3).map((h) => h.field)).toEqual(['department', 'department']); // 民政局（婚姻登记处）
    const open = index.search('证明', { only24h: true, limit: 50 });
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((h) => demoGuides[h.serviceId]!.available24h)).toBe(true);
  });

  it('answers nothing to nothing, and honours the limit', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('  ，。 ')).toEqual([]);
    expect(index.search('zzzzqqqq')).toEqual([]);
    expect(index.search('d', { limit: 3 })).toHaveLength(3);
  });

  it('works on a catalog without guides, from names and departments alone', () => {
    const small = buildServiceSearchIndex(demoCatalog);
    expect(small.search('gtgsh')[0]?.serviceId).toBe('sole-trader');
    expect(small.search('zfgjjdk')[0]?.serviceId).toBe('fund-loan');
    expect(small.search('huzhao')).toEqual([]); // 护照 is a keyword, which only a guide provides
  });

  it('keeps the state of one query out of the next', () => {
    const first = index.search('gongjijin', { limit: 3 });
    index.search('lihun', { departmentId: 'civil-affairs' });
    expect(index.search('gongjijin', { limit: 3 })).toEqual(first);
  });
});

describe('pinyin text', () => {
  it('reads each character, polyphones in context and every other reading too', () => {
    const bank = analyseText('银行卡');
    expect(bank.syllables).toEqual(['yin', 'hang', 'ka']);
    expect(bank.readings[1]).toEqual(expect.arrayContaining(['hang', 'xing']));
    expect(analyseText('绿色').syllables).toEqual(['lv', 'se']);
  });

  it('reads a text the same when an index build shares the readings of runs met before', () => {
    const memo = new Map();
    const texts = fullDemoCatalog.services.flatMap((s) => [s.name.zh, `城东区${s.name.zh}（变更）`, ...(demoGuides[s.id]?.keywords ?? [])]);
    // twice over, so the second pass reads every run from the memo
    for (const text of [...texts, ...texts]) expect(analyseText(text, memo), text).toEqual(analyseText(text));
    expect(memo.size).toBeGreaterThan(0);
    // runs without polyphones skip the reading in context; they must read as it would
    expect(analyseText('社保卡', memo).syllables).toEqual(['she', 'bao', 'ka']);
  });

  it('keeps Latin words whole and maps everything back to the original text', () => {
    const a = analyseText('个税APP（ＡＢ）');
    expect(a.syllables).toEqual(['ge', 'shui', 'app', 'ab']);
    expect(a.syllableFrom).toEqual([0, 1, 2, 6]);
    expect(a.syllableTo).toEqual([1, 2, 5, 8]);
    expect(a.plain).toBe('个税appab');
  });

  it('folds queries: tones, tone numbers, ü, separators and width', () => {
    expect(foldQuery("Lǚ Xíng  xi'an")).toBe('lvxingxian');
    expect(foldQuery('lu:4se4')).toBe('lvse');
    expect(foldQuery('ＳＣ－００１')).toBe('sc001');
    expect(foldQuery('公积 金！')).toBe('公积金');
  });
});

describe('bit-parallel edit distance', () => {
  function naive(p: string, t: string, anchored: boolean): number {
    // the textbook dynamic programme: distance of p to the best prefix (anchored) or substring of t
    let previous = Array.from({ length: t.length + 1 }, (_, j) => (anchored ? j : 0));
    for (let i = 1; i <= p.length; i++) {
      const row = [i];
      for (let j = 1; j <= t.length; j++) {
        row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (p[i - 1] === t[j - 1] ? 0 : 1));
      }
      previous = row;
    }
    return Math.min(...previous);
  }

  it('agrees with the textbook algorithm on random strings', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = (max: number) => Array.from({ length: 1 + Math.floor(random() * max) }, () => 'abcde'[Math.floor(random() * 5)]).join('');
    for (let n = 0; n < 2000; n++) {
      const p = word(31);
      const t = word(40);
      for (const anchored of [true, false]) {
        const expected = naive(p, t, anchored);
        expect(bestEditDistance(patternMasks(p), p.length, t, anchored, 40), `${p} in ${t}, anchored ${anchored}`).toBe(expected);
        expect(bestEditDistance(patternMasks(p), p.length, t, anchored, 1)).toBe(Math.min(expected, 2));
      }
    }
  });
});
