import { describe, expect, it } from 'vitest';
import { elderIdleFactor, idleTimeoutMs } from '../../../renderer/elder/elder-rules.ts';
import { promptOf, spokenLabel } from '../../../renderer/elder/screen-prompts.ts';
import { chooseVoice } from '../../../core/voice/voice-choice.ts';
import { en } from '../../../renderer/i18n/en.ts';
import { zh } from '../../../renderer/i18n/zh.ts';

const voice = (lang: string, name = lang, localService = true) => ({ lang, name, localService });

describe('chooseVoice', () => {
  it('picks a Mandarin voice for Chinese prompts, never Cantonese', () => {
    expect(chooseVoice([voice('en-US'), voice('zh-HK'), voice('zh-CN', 'Huihui')], 'zh')?.name).toBe('Huihui');
    expect(chooseVoice([voice('yue-HK'), voice('zh-HK'), voice('en-GB')], 'zh')).toBeNull();
  });

  it('reads the tags platforms really use (underscores, case, script subtags)', () => {
    expect(chooseVoice([voice('zh_CN', 'espeak')], 'zh')?.name).toBe('espeak');
    expect(chooseVoice([voice('ZH-hans-CN', 'hans')], 'zh')?.name).toBe('hans');
    expect(chooseVoice([voice('cmn-CN', 'cmn')], 'zh')?.name).toBe('cmn');
  });

  it('prefers mainland Mandarin to Taiwanese, and a voice on the machine to a network one', () => {
    expect(chooseVoice([voice('zh-TW', 'tw'), voice('zh-CN', 'cn')], 'zh')?.name).toBe('cn');
    expect(chooseVoice([voice('zh-TW', 'tw')], 'zh')?.name).toBe('tw');
    expect(chooseVoice([voice('zh-CN', 'Google 普通话', false), voice('zh-CN', 'local')], 'zh')?.name).toBe('local');
    expect(chooseVoice([voice('zh-CN', 'Google 普通话', false)], 'zh')?.name).toBe('Google 普通话');
  });

  it('picks English for English prompts, and says so when there is none', () => {
    expect(chooseVoice([voice('zh-CN'), voice('en-AU', 'au'), voice('en-US', 'us')], 'en')?.name).toBe('us');
    expect(chooseVoice([voice('zh-CN')], 'en')).toBeNull();
    expect(chooseVoice([], 'zh')).toBeNull();
  });
});

describe('idle timeout', () => {
  it('is the hall setting normally and longer in elder mode', () => {
    expect(idleTimeoutMs(60, false)).toBe(60_000);
    expect(idleTimeoutMs(60, true)).toBe(60_000 * elderIdleFactor);
    expect(elderIdleFactor).toBeGreaterThan(1);
  });
});

describe('screen prompts', () => {
  it('citizen screens have a prompt, staff screens none', () => {
    expect(promptOf({ name: 'home' })).toEqual({ key: 'home' });
    expect(promptOf({ name: 'categories' })).toEqual({ key: 'chooseDepartment' });
    expect(promptOf({ name: 'category-services' })).toEqual({ key: 'chooseService' });
    expect(promptOf({ name: 'staff' })).toBeNull();
    expect(promptOf({ name: 'checkin' })).toBeNull();
  });

  it('a ticket is announced only once its print has ended, and a failed print says so', () => {
    expect(promptOf({ name: 'ticket', label: 'A001', print: 'printing' })).toEqual({ key: 'printing' });
    expect(promptOf({ name: 'ticket', label: 'A001', print: 'printed' })).toEqual({ key: 'ticket', values: { label: 'A001' } });
    expect(promptOf({ name: 'ticket', label: 'A001', print: 'failed' })).toEqual({ key: 'notPrinted', values: { label: 'A001' } });
    expect(promptOf({ name: 'ticket', label: 'A001', print: 'e-ticket' })).toEqual({ key: 'eTicket', values: { label: 'A001' } });
  });

  it('numbers are spoken one character at a time', () => {
    expect(spokenLabel('A001')).toBe('A 0 0 1');
    expect(spokenLabel('B120')).toBe('B 1 2 0');
  });

  it('every prompt exists in Chinese and English', () => {
    expect(Object.keys(en.elder.prompt).sort()).toEqual(Object.keys(zh.elder.prompt).sort());
    for (const text of Object.values(zh.elder.prompt)) expect(text).toMatch(/[\u4e00-\u9fff]/);
  });
});
