import type { Catalog, ServiceItem } from './catalog.ts';
import type { LocalizedText } from '../text/localized.ts';

/**
 * The life-event and business-event themes citizens browse by. Departments are how the hall is
 * organised; categories are how a citizen thinks ("I want to open a shop", "I am moving house"),
 * so one category spans several departments.
 */
export const serviceCategories = [
  { id: 'business-startup', label: { zh: '企业开办', en: 'Starting a business' } },
  { id: 'business-licensing', label: { zh: '经营许可', en: 'Business licences' } },
  { id: 'social-insurance', label: { zh: '社保医保', en: 'Social & medical insurance' } },
  { id: 'employment', label: { zh: '就业创业', en: 'Jobs & entrepreneurship' } },
  { id: 'housing', label: { zh: '住房', en: 'Housing' } },
  { id: 'real-estate', label: { zh: '不动产', en: 'Real estate' } },
  { id: 'construction', label: { zh: '建设工程', en: 'Construction projects' } },
  { id: 'identity', label: { zh: '户籍证件', en: 'Residence & ID documents' } },
  { id: 'transport', label: { zh: '交通', en: 'Transport & vehicles' } },
  { id: 'civil-affairs', label: { zh: '民政婚姻', en: 'Marriage & civil affairs' } },
  { id: 'tax', label: { zh: '税务', en: 'Tax' } },
  { id: 'health', label: { zh: '卫生健康', en: 'Health' } },
] as const satisfies readonly { id: string; label: LocalizedText }[];

export type ServiceCategoryId = (typeof serviceCategories)[number]['id'];
export const serviceCategoryIds = serviceCategories.map((c) => c.id) as [ServiceCategoryId, ...ServiceCategoryId[]];

/**
 * Services grouped by category, in the order of `serviceCategories`, empty categories left out.
 * Services without a category (no guide yet) are not dropped: they come last under `null`, so a
 * partly documented catalog still shows everything it can issue tickets for.
 */
export function servicesByCategory(
  catalog: Catalog,
  categoryOf: (serviceId: string) => ServiceCategoryId | undefined,
): { category: ServiceCategoryId | null; services: ServiceItem[] }[] {
  const groups = new Map<ServiceCategoryId | null, ServiceItem[]>();
  for (const service of catalog.services) {
    const key = categoryOf(service.id) ?? null;
    const list = groups.get(key);
    if (list) list.push(service);
    else groups.set(key, [service]);
  }
  const ordered: { category: ServiceCategoryId | null; services: ServiceItem[] }[] = [];
  for (const { id } of serviceCategories) {
    const services = groups.get(id);
    if (services) ordered.push({ category: id, services });
  }
  const uncategorised = groups.get(null);
  if (uncategorised) ordered.push({ category: null, services: uncategorised });
  return ordered;
}
