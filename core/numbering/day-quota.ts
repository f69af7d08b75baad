import type { HallRules } from '../calendar/calendar-rules.ts';
import { serviceRuleOf } from '../calendar/opening-hours.ts';

/**
 * The day's 限号 of a service: the catalog's, lowered by the hall calendar's when it sets a
 * tighter one. The hall server's counter enforces it and the kiosk offers and numbers by it, so
 * both stop at the same number. No rules (a server before the hall saved a calendar): the catalog's.
 */
export function dayQuotaOf(rules: HallRules | null, serviceId: string, catalogQuota: number): number {
  const perDay = rules ? serviceRuleOf(rules, serviceId)?.quota?.perDay : undefined;
  return perDay === undefined ? catalogQuota : Math.min(catalogQuota, perDay);
}
