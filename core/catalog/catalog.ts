import { z } from 'zod';
import { localizedTextSchema } from '../text/localized.ts';

export const departmentSchema = z.object({
  id: z.string().min(1),
  name: localizedTextSchema,
  /** where in the hall its counters (窗口) are */
  location: localizedTextSchema,
});
export type Department = z.infer<typeof departmentSchema>;

export const serviceItemSchema = z.object({
  id: z.string().min(1),
  departmentId: z.string().min(1),
  /** 事项编码 */
  code: z.string().min(1),
  name: localizedTextSchema,
  /** Ticket number prefix (A001…): one or two capital letters, unique in the hall. */
  prefix: z.string().regex(/^[A-Z]{1,2}$/, 'prefix must be one or two capital letters'),
  /** 限号: how many tickets the service issues per business day */
  dailyQuota: z.number().int().positive(),
  windows: localizedTextSchema,
});
export type ServiceItem = z.infer<typeof serviceItemSchema>;

const synonymWord = z.string().trim().min(1).max(20);

/**
 * One row of the hall's table of everyday words (俗称): what citizens say (房产, 房子) for a word
 * the catalog uses (不动产). The search reads it: a service whose name or keywords hold the
 * catalog's word is found by the everyday ones too, typed in Chinese, pinyin or initials.
 */
export const synonymSchema = z.object({
  /** the word as names and keywords of the catalog write it */
  term: synonymWord,
  colloquial: z.array(synonymWord).min(1),
});
export type Synonym = z.infer<typeof synonymSchema>;

export const catalogSchema = z
  .object({
    version: z.number().int().nonnegative(),
    departments: z.array(departmentSchema).min(1),
    services: z.array(serviceItemSchema).min(1),
    /** hall-wide everyday words; absent from catalogs written before the search read them */
    synonyms: z.array(synonymSchema).optional(),
  })
  .superRefine((c, ctx) => {
    for (const issue of synonymIssues(c.synonyms ?? [])) ctx.addIssue({ code: 'custom', path: ['synonyms', ...issue.path], message: issue.message });
    const departmentIds = new Set(c.departments.map((d) => d.id));
    const prefixes = new Map<string, string>();
    c.services.forEach((s, i) => {
      if (!departmentIds.has(s.departmentId)) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'departmentId'], message: `unknown department ${s.departmentId}` });
      }
      const other = prefixes.get(s.prefix);
      if (other) {
        ctx.addIssue({ code: 'custom', path: ['services', i, 'prefix'], message: `prefix ${s.prefix} is already used by ${other}` });
      }
      prefixes.set(s.prefix, s.id);
    });
  });
export type Catalog = z.infer<typeof catalogSchema>;

/**
 * What the synonym table must not say: a word that means two things, or means itself. Both would
 * make a search find services nobody asked for, and a hall would not see why.
 */
export function synonymIssues(synonyms: readonly { term?: unknown; colloquial?: unknown }[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const firstUse = new Map<string, string>();
  synonyms.forEach((row, i) => {
    const term = typeof row.term === 'string' ? row.term.trim() : '';
    const words = Array.isArray(row.colloquial) ? row.colloquial : [];
    words.forEach((word: unknown, j) => {
      if (typeof word !== 'string') return;
      const w = word.trim();
      if (w === term) issues.push({ path: [i, 'colloquial', j], message: `俗称“${w}”与规范用语相同` });
      const earlier = firstUse.get(w);
      if (earlier !== undefined) issues.push({ path: [i, 'colloquial', j], message: `俗称“${w}”已对应“${earlier}”，一个俗称只能对应一个规范用语` });
      else firstUse.set(w, term);
    });
  });
  return issues;
}

export function servicesOf(catalog: Catalog, departmentId: string): ServiceItem[] {
  return catalog.services.filter((s) => s.departmentId === departmentId);
}
