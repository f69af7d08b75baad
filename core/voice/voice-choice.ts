/**
 * Which of the platform's speech voices speaks a language: shared by the kiosk's elder-mode prompts
 * (renderer/elder/) and the hall's displays (server/web/voice/).
 */
/** What the kiosk needs to know of a platform voice (a SpeechSynthesisVoice, or a test's stand-in). */
export interface VoiceLike {
  lang: string;
  name: string;
  localService: boolean;
}

export type PromptLanguage = 'zh' | 'en';

/** BCP 47 tags the utterances carry: Mandarin as spoken on the mainland, and English. */
export const speechLang: Record<PromptLanguage, string> = { zh: 'zh-CN', en: 'en-US' };

/**
 * How well a voice speaks the prompt language, 0 = not at all. Mandarin wants zh-CN (or plain
 * zh / zh-Hans); Taiwanese Mandarin will do; Cantonese (zh-HK, yue) will not. A voice on the
 * machine beats a network voice, which falls silent when the hall's network does.
 */
function fitness(voice: VoiceLike, language: PromptLanguage): number {
  const tag = voice.lang.replace(/_/g, '-').toLowerCase();
  const local = voice.localService ? 1 : 0;
  if (language === 'zh') {
    if (tag === 'zh-cn' || tag === 'zh' || tag.startsWith('zh-hans') || tag === 'cmn-cn' || tag === 'cmn') return 10 + local;
    if (tag === 'zh-tw' || tag.startsWith('zh-hant-tw') || tag === 'cmn-tw') return 5 + local;
    return 0;
  }
  if (tag === 'en-us' || tag === 'en-gb' || tag === 'en') return 10 + local;
  return tag.startsWith('en-') ? 5 + local : 0;
}

/** The voice for prompts in `language`, or null when the platform has none that speaks it. */
export function chooseVoice<V extends VoiceLike>(voices: readonly V[], language: PromptLanguage): V | null {
  let best: V | null = null;
  let bestScore = 0;
  for (const voice of voices) {
    const score = fitness(voice, language);
    if (score > bestScore) [best, bestScore] = [voice, score];
  }
  return best;
}
