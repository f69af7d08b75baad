/**
 * The clip voice's grammar: every sound an announcement is made of, one short recording each.
 * A clip's id is its file's name without `.wav` (ASCII, so a hall's own recordings are easy to
 * name); `words` is what it says, which the default pack's generator (scripts/voice-clips.ts)
 * turns into pinyin for espeak-ng.
 */
export const digitClips = ['ling', 'yi', 'er', 'san', 'si', 'wu', 'liu', 'qi', 'ba', 'jiu'] as const;

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export type LetterClip = `letter-${Lowercase<(typeof letters)[number] & string>}`;

/** `nindehaomashi` 您的号码是 is the kiosk's: its elder-mode prompt says the number just taken. */
export const wordClips = ['shi', 'bai', 'qing', 'hao', 'dao', 'chuangkou', 'banli', 'nindehaomashi'] as const;

export type ClipId = (typeof digitClips)[number] | (typeof wordClips)[number] | LetterClip | 'chime';

export interface ClipDefinition {
  id: ClipId;
  /** what it says: Chinese words, or a Latin letter read by its English name as halls do */
  kind: 'words' | 'letter' | 'chime';
  words: string;
}

const digitWords = '零一二三四五六七八九';
const wordTexts: Record<(typeof wordClips)[number], string> = {
  shi: '十', bai: '百', qing: '请', hao: '号', dao: '到', chuangkou: '窗口', banli: '办理', nindehaomashi: '您的号码是',
};

/** Every clip of the grammar, the chime first. */
export const voiceClips: readonly ClipDefinition[] = [
  { id: 'chime', kind: 'chime', words: '' },
  ...digitClips.map((id, i): ClipDefinition => ({ id, kind: 'words', words: digitWords[i]! })),
  ...wordClips.map((id): ClipDefinition => ({ id, kind: 'words', words: wordTexts[id] })),
  ...[...letters].map((letter): ClipDefinition => ({ id: clipForLetter(letter), kind: 'letter', words: letter })),
];

export function clipForLetter(letter: string): LetterClip {
  return `letter-${letter.toLowerCase()}` as LetterClip;
}

/** A clip's file within a clip folder. */
export function clipFile(id: ClipId): string {
  return `${id}.wav`;
}
