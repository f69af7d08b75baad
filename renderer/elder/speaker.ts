import { chooseVoice, speechLang, type PromptLanguage } from '../../core/voice/voice-choice.ts';

/** The platform's speech, as the prompts use it. */
export interface Speaker {
  /** whether a voice for `language` is there now */
  canSpeak(language: PromptLanguage): boolean;
  /** says `text` (cutting off whatever was being said); false when there is no voice for it */
  speak(text: string, language: PromptLanguage): boolean;
  stop(): void;
  /** voices arrive late on most platforms (and may go): called when the list changes */
  onVoicesChanged(listener: () => void): () => void;
}

/** Slower than normal speech: the listener may be old, and the hall is noisy. */
const elderRate = 0.85;

/** The Web Speech API's speechSynthesis (Chromium, Electron), or a silent speaker where it is missing. */
export function platformSpeaker(): Speaker {
  const synth = typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
  if (!synth || typeof SpeechSynthesisUtterance === 'undefined') return silentSpeaker;
  const voiceFor = (language: PromptLanguage) => chooseVoice(synth.getVoices(), language);
  return {
    canSpeak: (language) => voiceFor(language) !== null,
    speak(text, language) {
      const voice = voiceFor(language);
      if (!voice) return false;
      synth.cancel();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.voice = voice;
      utterance.lang = speechLang[language];
      utterance.rate = elderRate;
      synth.speak(utterance);
      return true;
    },
    stop: () => synth.cancel(),
    onVoicesChanged(listener) {
      synth.addEventListener('voiceschanged', listener);
      return () => synth.removeEventListener('voiceschanged', listener);
    },
  };
}

const silentSpeaker: Speaker = {
  canSpeak: () => false,
  speak: () => false,
  stop: () => undefined,
  onVoicesChanged: () => () => undefined,
};
