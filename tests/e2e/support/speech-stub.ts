import type { Page } from '@playwright/test';

export interface StubVoice {
  lang: string;
  name: string;
  localService: boolean;
}

export interface SpokenUtterance {
  text: string;
  lang: string;
  voice: string | null;
  rate: number;
}

type SpeechWindow = Window & { __spoken: SpokenUtterance[]; __addVoice(voice: StubVoice): void };

/**
 * The platform's speech as a kiosk machine may have it: `voices` (none at all is a Linux box
 * without speech-dispatcher). Every speak() is recorded for the test to read; a voice can be
 * added later, announced by 'voiceschanged' as Chromium does when its voice list arrives.
 */
export async function stubSpeech(page: Page, voices: StubVoice[]): Promise<void> {
  await page.addInitScript((initial) => {
    const w = window as unknown as SpeechWindow;
    const list = [...initial];
    w.__spoken = [];
    class Utterance {
      text: string;
      lang = '';
      voice: StubVoice | null = null;
      rate = 1;
      constructor(text: string) {
        this.text = text;
      }
    }
    const synth = Object.assign(new EventTarget(), {
      getVoices: () => [...list],
      speak: (u: Utterance) => w.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null, rate: u.rate }),
      cancel: () => undefined,
    });
    w.__addVoice = (voice) => {
      list.push(voice);
      synth.dispatchEvent(new Event('voiceschanged'));
    };
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true, writable: true });
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  }, voices);
}

export const spoken = (page: Page): Promise<SpokenUtterance[]> => page.evaluate(() => (window as unknown as SpeechWindow).__spoken);

export const addVoice = (page: Page, voice: StubVoice): Promise<void> => page.evaluate((v) => (window as unknown as SpeechWindow).__addVoice(v), voice);
