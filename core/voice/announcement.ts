/**
 * What a hall says when a window calls a ticket: "请 A001 号到 3 号窗口办理", by a template the hall
 * may change, twice by default, a chime first. Two forms come out of one announcement: the words a
 * speech engine reads (the number digit by digit as halls do, A 零零一; the window as a number,
 * 十二) and the same words as a sequence of clips (core/voice/clips.ts) for halls whose machines
 * have no Chinese voice. Both are built here so the two engines never say different things.
 */
import { clipForLetter, digitClips, type ClipId } from './clips.ts';

/** One call to announce, as the display's queue hands it to `speak()`. */
export interface Announcement {
  callId: string;
  ticketLabel: string;
  windowNumber: number;
  windowName?: string;
  recall: boolean;
}

export interface VoiceSettings {
  /** `{number}` is the ticket, `{window}` the window number; the rest must be words the clips have */
  template: string;
  /** how many times the words are said */
  repeats: number;
  /** a chime before the words, once */
  chime: boolean;
  /** silence between two repeats */
  pauseMs: number;
}

export const defaultVoiceSettings: VoiceSettings = {
  template: '请 {number} 号到 {window} 号窗口办理',
  repeats: 2,
  chime: true,
  pauseMs: 600,
};

/** Windows a hall numbers: the clip grammar reads up to 999 (一百, 九百九十九). */
export const maxWindowNumber = 999;

export class VoiceError extends Error {
  override name = 'VoiceError';
}

/** The words of the template the clips can say; longest first, so 窗口 wins over a lone 窗. */
const templateWords: readonly [string, ClipId][] = [
  ['窗口', 'chuangkou'],
  ['办理', 'banli'],
  ['请', 'qing'],
  ['号', 'hao'],
  ['到', 'dao'],
];

type TemplatePart = { kind: 'number' } | { kind: 'window' } | { kind: 'word'; text: string; clip: ClipId };

/** The template split into its placeholders and clip words; a clear error for anything else. */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let rest = template;
  while (rest.length > 0) {
    const space = /^\s+/.exec(rest);
    if (space) {
      rest = rest.slice(space[0].length);
      continue;
    }
    if (rest.startsWith('{number}')) {
      parts.push({ kind: 'number' });
      rest = rest.slice('{number}'.length);
      continue;
    }
    if (rest.startsWith('{window}')) {
      parts.push({ kind: 'window' });
      rest = rest.slice('{window}'.length);
      continue;
    }
    const word = templateWords.find(([text]) => rest.startsWith(text));
    if (!word) {
      const known = templateWords.map(([text]) => text).join(' ');
      throw new VoiceError(`the announcement template cannot say "${rest}": use {number}, {window} and the words ${known}`);
    }
    parts.push({ kind: 'word', text: word[0], clip: word[1] });
    rest = rest.slice(word[0].length);
  }
  if (!parts.some((p) => p.kind === 'number')) throw new VoiceError('the announcement template must contain {number}');
  return parts;
}

/** Validated settings, with a clear error naming what is wrong. */
export function checkVoiceSettings(settings: VoiceSettings): VoiceSettings {
  parseTemplate(settings.template);
  if (!Number.isInteger(settings.repeats) || settings.repeats < 1 || settings.repeats > 5) throw new VoiceError(`repeats must be a whole number from 1 to 5, not ${settings.repeats}`);
  if (!Number.isFinite(settings.pauseMs) || settings.pauseMs < 0 || settings.pauseMs > 5000) throw new VoiceError(`pauseMs must be from 0 to 5000, not ${settings.pauseMs}`);
  return settings;
}

const digitWords = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** A ticket label read as halls read it, one character at a time: A001 → [A, 零, 零, 一]. */
function labelWords(label: string): { text: string; clip: ClipId }[] {
  if (!/^[A-Za-z0-9]+$/.test(label)) throw new VoiceError(`a ticket number is read letter by letter and digit by digit; "${label}" has other characters`);
  return [...label].map((ch) => {
    if (/[0-9]/.test(ch)) return { text: digitWords[Number(ch)]!, clip: digitClips[Number(ch)]! };
    return { text: ch.toUpperCase(), clip: clipForLetter(ch) };
  });
}

/**
 * A window number said as a number: 3 三, 10 十, 11 十一, 20 二十, 100 一百, 101 一百零一,
 * 110 一百一十. Below 20 the leading 一 of 一十 is dropped, as in speech; after 百 it is kept.
 */
export function windowNumberWords(n: number): { text: string; clip: ClipId }[] {
  if (!Number.isInteger(n) || n < 1 || n > maxWindowNumber) throw new VoiceError(`a window number must be a whole number from 1 to ${maxWindowNumber}, not ${n}`);
  const digit = (d: number) => ({ text: digitWords[d]!, clip: digitClips[d]! });
  const shi = { text: '十', clip: 'shi' as const };
  const bai = { text: '百', clip: 'bai' as const };
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor(n / 10) % 10;
  const ones = n % 10;
  const words: { text: string; clip: ClipId }[] = [];
  if (hundreds > 0) words.push(digit(hundreds), bai);
  if (tens > 0) {
    if (!(hundreds === 0 && tens === 1)) words.push(digit(tens));
    words.push(shi);
  } else if (hundreds > 0 && ones > 0) {
    words.push(digit(0));
  }
  if (ones > 0) words.push(digit(ones));
  return words;
}

/** The words once, each with its text and clip. */
function words(announcement: Announcement, settings: VoiceSettings): { text: string; clip: ClipId }[] {
  return parseTemplate(settings.template).flatMap((part) => {
    if (part.kind === 'number') return labelWords(announcement.ticketLabel);
    if (part.kind === 'window') return windowNumberWords(announcement.windowNumber);
    return [{ text: part.text, clip: part.clip }];
  });
}

/** What a screen shows for the call: 请 A001 号到 3 号窗口办理. */
export function announcementText(announcement: Announcement, settings: VoiceSettings = defaultVoiceSettings): string {
  return settings.template.replaceAll('{number}', announcement.ticketLabel.toUpperCase()).replaceAll('{window}', String(announcement.windowNumber));
}

/** What a speech engine is given, once: 请A零零一号到三号窗口办理 (spoken as written, no guessing). */
export function spokenText(announcement: Announcement, settings: VoiceSettings = defaultVoiceSettings): string {
  return words(announcement, settings)
    .map((w) => w.text)
    .join('');
}

/** A step of a clip announcement: a clip, or silence. */
export type VoiceStep = { kind: 'clip'; clip: ClipId } | { kind: 'pause'; ms: number };

/** The clips to play for the call, in order: the chime, then the words `repeats` times with a pause between. */
export function announcementSteps(announcement: Announcement, settings: VoiceSettings = defaultVoiceSettings): VoiceStep[] {
  const once = words(announcement, settings).map((w): VoiceStep => ({ kind: 'clip', clip: w.clip }));
  const steps: VoiceStep[] = settings.chime ? [{ kind: 'clip', clip: 'chime' }] : [];
  for (let i = 0; i < settings.repeats; i++) {
    if (i > 0 && settings.pauseMs > 0) steps.push({ kind: 'pause', ms: settings.pauseMs });
    steps.push(...once);
  }
  return steps;
}

/** The kiosk's elder-mode prompt for a ticket just taken, as clips: 您的号码是 A 零 零 一. */
export function ticketNumberSteps(ticketLabel: string): VoiceStep[] {
  return [{ kind: 'clip', clip: 'nindehaomashi' }, ...labelWords(ticketLabel).map((w): VoiceStep => ({ kind: 'clip', clip: w.clip }))];
}
