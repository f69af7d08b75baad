import { describe, expect, it } from 'vitest';
import { callingSettingsSchema, defaultCallingSettings, pauseReasonName } from '../../../core/queue/calling-settings.ts';

describe('hall calling settings', () => {
  it('start from defaults a hall can use as they are', () => {
    expect(defaultCallingSettings).toMatchObject({
      noShowAfterCalls: 2, noShowAfterSeconds: 60, recallCooldownSeconds: 10, maxPriorityInRow: 2,
      longWaitMinutes: 60, recycleBackPlaces: 3, announcementRepeats: 2,
      waitEstimate: { bandMinutes: 60, minSamples: 5, maxSamples: 20 },
    });
    expect(defaultCallingSettings.pauseReasons.map((r) => r.name.zh)).toEqual(['暂离', '会议', '外出送件', '其他']);
    expect(pauseReasonName(defaultCallingSettings, 'outing')).toEqual({ zh: '外出送件', en: 'Out delivering documents' });
    expect(pauseReasonName(defaultCallingSettings, 'lunch')).toBeNull();
  });

  it('keep what a hall sets and fill in the rest', () => {
    const s = callingSettingsSchema.parse({ noShowAfterCalls: 3, pauseReasons: [{ code: 'training', name: { zh: '培训', en: 'Training' } }] });
    expect(s.noShowAfterCalls).toBe(3);
    expect(s.noShowAfterSeconds).toBe(60);
    expect(s.pauseReasons).toHaveLength(1);
  });

  it.each([
    ['one call allows 过号 on the first press', { noShowAfterCalls: 1 }],
    ['a zero priority quota turns 特殊人群 priority off', { maxPriorityInRow: 0 }],
    ['fractional seconds', { recallCooldownSeconds: 2.5 }],
    ['a duplicate pause reason', { pauseReasons: [{ code: 'away', name: { zh: '暂离', en: 'Away' } }, { code: 'away', name: { zh: '离开', en: 'Away' } }] }],
    ['a pause reason without its English name', { pauseReasons: [{ code: 'away', name: { zh: '暂离' } }] }],
    ['an estimate that needs more samples than it keeps', { waitEstimate: { minSamples: 30, maxSamples: 20 } }],
  ])('refuse %s', (_why, input) => {
    expect(callingSettingsSchema.safeParse(input).success).toBe(false);
  });
});
