import { describe, expect, it } from 'vitest';
import type { HallRules } from '../../../core/calendar/calendar-rules.ts';
import { dayQuotaOf } from '../../../core/numbering/day-quota.ts';
import { demoHallRules } from '../../support/demo-hall.ts';

const rulesWith = (quota: { perDay?: number; perSession?: Record<string, number> } | undefined): HallRules => ({
  ...demoHallRules,
  services: demoHallRules.services.map(({ quota: _quota, ...s }) => (s.serviceId === 'ss-card' && quota ? { ...s, quota } : s)),
});

describe("dayQuotaOf: the day's 限号, the same on the kiosk and the hall server", () => {
  it.each([
    ['no calendar: the catalog’s', null, 300],
    ['a calendar without a quota for the service: the catalog’s', rulesWith(undefined), 300],
    ['only session quotas: the catalog’s', rulesWith({ perSession: { morning: 10 } }), 300],
    ['a tighter calendar quota', rulesWith({ perDay: 120 }), 120],
    ['a looser calendar quota: the catalog’s', rulesWith({ perDay: 500 }), 300],
  ] as const)('%s', (_, rules, quota) => {
    expect(dayQuotaOf(rules, 'ss-card', 300)).toBe(quota);
  });

  it('reads the rule of the service asked about only', () => {
    expect(dayQuotaOf(rulesWith({ perDay: 5 }), 'pension', 100)).toBe(100);
  });
});
