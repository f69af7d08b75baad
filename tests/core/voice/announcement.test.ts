import { describe, expect, it } from 'vitest';
import {
  announcementSteps, announcementText, checkVoiceSettings, ticketNumberSteps, defaultVoiceSettings, spokenText, windowNumberWords,
  type Announcement, type VoiceStep,
} from '../../../core/voice/announcement.ts';
import { voiceClips } from '../../../core/voice/clips.ts';

const call = (ticketLabel: string, windowNumber: number): Announcement => ({ callId: 'c1', ticketLabel, windowNumber, recall: false });
const clips = (steps: VoiceStep[]) => steps.map((s) => (s.kind === 'clip' ? s.clip : `(${s.ms} ms)`));

describe('a window number said as a number', () => {
  it.each([
    [1, '一', ['yi']],
    [3, '三', ['san']],
    [9, '九', ['jiu']],
    [10, '十', ['shi']],
    [11, '十一', ['shi', 'yi']],
    [12, '十二', ['shi', 'er']],
    [19, '十九', ['shi', 'jiu']],
    [20, '二十', ['er', 'shi']],
    [21, '二十一', ['er', 'shi', 'yi']],
    [99, '九十九', ['jiu', 'shi', 'jiu']],
    [100, '一百', ['yi', 'bai']],
    [101, '一百零一', ['yi', 'bai', 'ling', 'yi']],
    [110, '一百一十', ['yi', 'bai', 'yi', 'shi']],
    [111, '一百一十一', ['yi', 'bai', 'yi', 'shi', 'yi']],
    [120, '一百二十', ['yi', 'bai', 'er', 'shi']],
    [305, '三百零五', ['san', 'bai', 'ling', 'wu']],
    [999, '九百九十九', ['jiu', 'bai', 'jiu', 'shi', 'jiu']],
  ])('%i is %s', (n, text, clipIds) => {
    const words = windowNumberWords(n);
    expect(words.map((w) => w.text).join('')).toBe(text);
    expect(words.map((w) => w.clip)).toEqual(clipIds);
  });

  it.each([0, -1, 1000, 2.5, Number.NaN])('refuses %s', (n) => {
    expect(() => windowNumberWords(n)).toThrow(/window number must be a whole number from 1 to 999/);
  });
});

describe('an announcement', () => {
  it('shows the call as the hall writes it and speaks the number digit by digit', () => {
    expect(announcementText(call('A001', 3))).toBe('请 A001 号到 3 号窗口办理');
    expect(spokenText(call('A001', 3))).toBe('请A零零一号到三号窗口办理');
    expect(spokenText(call('B120', 12))).toBe('请B一二零号到十二号窗口办理');
    expect(spokenText(call('c010', 110))).toBe('请C零一零号到一百一十号窗口办理');
  });

  it('plays the chime once, then the words twice with a pause between', () => {
    const once = ['qing', 'letter-a', 'ling', 'ling', 'yi', 'hao', 'dao', 'san', 'hao', 'chuangkou', 'banli'];
    expect(clips(announcementSteps(call('A001', 3)))).toEqual(['chime', ...once, '(600 ms)', ...once]);
  });

  it.each([
    [10, ['shi']],
    [11, ['shi', 'yi']],
    [20, ['er', 'shi']],
    [100, ['yi', 'bai']],
    [110, ['yi', 'bai', 'yi', 'shi']],
  ])('to window %i says the window as a number', (n, windowClips) => {
    const steps = clips(announcementSteps(call('K7', n), { ...defaultVoiceSettings, repeats: 1, chime: false }));
    expect(steps).toEqual(['qing', 'letter-k', 'qi', 'hao', 'dao', ...windowClips, 'hao', 'chuangkou', 'banli']);
  });

  it('follows a template the hall sets', () => {
    const settings = checkVoiceSettings({ template: '{number}号 请到{window}号窗口', repeats: 3, chime: false, pauseMs: 0 });
    expect(announcementText(call('A12', 2), settings)).toBe('A12号 请到2号窗口');
    expect(clips(announcementSteps(call('A12', 2), settings))).toEqual(
      Array.from({ length: 3 }, () => ['letter-a', 'yi', 'er', 'hao', 'qing', 'dao', 'er', 'hao', 'chuangkou']).flat(),
    );
  });

  it.each([
    ['a word no clip says', { template: '请 {number} 号到 {window} 号柜台' }, /cannot say "柜台"/],
    ['no ticket number', { template: '请到 {window} 号窗口' }, /must contain \{number\}/],
    ['no repeat', { repeats: 0 }, /repeats must be a whole number from 1 to 5/],
    ['a negative pause', { pauseMs: -1 }, /pauseMs must be from 0 to 5000/],
  ])('refuses settings with %s', (_why, change, message) => {
    expect(() => checkVoiceSettings({ ...defaultVoiceSettings, ...change })).toThrow(message);
  });

  it('refuses a ticket label it cannot read', () => {
    expect(() => spokenText(call('A-01', 3))).toThrow(/letter by letter and digit by digit; "A-01"/);
  });

  it('uses only clips the grammar has', () => {
    const known = new Set(voiceClips.map((c) => c.id));
    const all = announcementSteps(call('Z0123456789', 999)).concat(announcementSteps(call('ABCDEFGHIJKLMNOPQRSTUVWXY', 110)));
    for (const step of all) if (step.kind === 'clip') expect(known.has(step.clip), step.clip).toBe(true);
    expect(known.size).toBe(1 + 10 + 8 + 26);
  });
});

describe("the kiosk's ticket prompt in clips", () => {
  it('says 您的号码是 and the number digit by digit', () => {
    expect(clips(ticketNumberSteps('A001'))).toEqual(['nindehaomashi', 'letter-a', 'ling', 'ling', 'yi']);
    expect(() => ticketNumberSteps('A 01')).toThrow(/"A 01"/);
  });
});
