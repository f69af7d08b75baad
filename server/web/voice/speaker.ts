/**
 * The hall's voice in a browser (a display's mini PC, the voice check page): core/voice's
 * announcer with the browser's parts plugged in — speechSynthesis when the machine has a Chinese
 * voice of its own, else the clip voice from the hall server's /voice/clips/ played with Web Audio.
 * `speak()` resolves when the announcement has been said to the end; the next waits for it.
 */
import { voiceClipsPath } from '../../../core/http/contract.ts';
import type { Announcement, VoiceSettings } from '../../../core/voice/announcement.ts';
import { Announcer, type EngineName, type SpeechEngine } from '../../../core/voice/announcer.ts';
import { ClipPlayer, type AudioOut } from '../../../core/voice/clip-player.ts';
import type { ClipId } from '../../../core/voice/clips.ts';
import { chooseVoice, speechLang } from '../../../core/voice/voice-choice.ts';

export interface Speaker {
  speak(announcement: Announcement): Promise<void>;
  /** the engine the next announcement would use */
  engine(): EngineName;
}

export interface SpeakerOptions {
  settings?: VoiceSettings;
  /** 'clips' uses the clip voice even where a speech voice exists */
  prefer?: EngineName | 'auto';
  played?: ConstructorParameters<typeof Announcer>[0]['played'];
  /** the server the clips come from; default this page's */
  origin?: string;
}

/** A little slower than normal speech, for a noisy hall. */
const hallRate = 0.9;

/**
 * speechSynthesis with a Chinese voice installed on this machine; a network voice does not count,
 * it falls silent with the hall's network. Null where the browser has no speechSynthesis.
 */
export function browserSpeech(): SpeechEngine | null {
  if (typeof speechSynthesis === 'undefined' || typeof SpeechSynthesisUtterance === 'undefined') return null;
  const voice = () => chooseVoice(speechSynthesis.getVoices().filter((v) => v.localService), 'zh');
  return {
    available: () => voice() !== null,
    say(text) {
      return new Promise<void>((resolve, reject) => {
        const utterance = new SpeechSynthesisUtterance(text);
        utterance.voice = voice();
        utterance.lang = speechLang.zh;
        utterance.rate = hallRate;
        // Some engines never send `end` (a voice removed mid-sentence): a generous bound.
        const watchdog = setTimeout(() => {
          speechSynthesis.cancel();
          resolve();
        }, 5000 + text.length * 600);
        utterance.onend = () => {
          clearTimeout(watchdog);
          resolve();
        };
        utterance.onerror = (event) => {
          clearTimeout(watchdog);
          reject(new Error(`speech failed: ${event.error}`));
        };
        speechSynthesis.speak(utterance);
      });
    },
  };
}

/** A clip's file from the hall server; a missing one rejects with the server's reason. */
export async function fetchClip(origin: string, clip: ClipId): Promise<ArrayBuffer> {
  const response = await fetch(`${origin}${voiceClipsPath}${clip}`);
  if (!response.ok) throw new Error(`${response.status} ${(await response.text()).trim()}`);
  return response.arrayBuffer();
}

export function createSpeaker(options: SpeakerOptions = {}): Speaker {
  const origin = options.origin ?? window.location.origin;
  // One context for the page's life: browsers limit how many a page may open.
  const audio = new AudioContext();
  const clips = new ClipPlayer<AudioBuffer>({
    audio: audio as AudioOut<AudioBuffer>,
    load: (clip) => fetchClip(origin, clip),
    after(ms, then) {
      const timer = setTimeout(then, ms);
      return () => clearTimeout(timer);
    },
  });
  const announcer = new Announcer({ speech: browserSpeech(), clips, settings: options.settings, prefer: options.prefer, played: options.played });
  return { speak: (announcement) => announcer.speak(announcement), engine: () => announcer.engine() };
}
