import { afterEach, describe, expect, it, vi } from 'vitest';
import { browserSpeech } from '../../../../server/web/voice/speaker.ts';

/** A browser's speechSynthesis with the voices the test gives it; utterances end when the test says. */
function stubSpeech(voices: { lang: string; name: string; localService: boolean }[]) {
  const queued: { text: string; lang: string; voice: string | null; rate: number; end: () => void; fail: (error: string) => void }[] = [];
  class Utterance {
    voice: { name: string } | null = null;
    lang = '';
    rate = 1;
    onend: (() => void) | null = null;
    onerror: ((event: { error: string }) => void) | null = null;
    constructor(readonly text: string) {}
  }
  vi.stubGlobal('SpeechSynthesisUtterance', Utterance);
  vi.stubGlobal('speechSynthesis', {
    getVoices: () => voices,
    cancel: () => undefined,
    speak(u: Utterance) {
      queued.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? null, rate: u.rate, end: () => u.onend?.(), fail: (error) => u.onerror?.({ error }) });
    },
  });
  return queued;
}

afterEach(() => vi.unstubAllGlobals());

describe("the display's speech engine (speechSynthesis)", () => {
  it('is there only with a Chinese voice on the machine, not a network one nor Cantonese', () => {
    stubSpeech([{ lang: 'zh-CN', name: 'Google 普通话', localService: false }, { lang: 'zh-HK', name: 'Sin-ji', localService: true }]);
    expect(browserSpeech()!.available()).toBe(false);
    vi.unstubAllGlobals();
    stubSpeech([{ lang: 'en-US', name: 'David', localService: true }, { lang: 'zh-CN', name: 'Microsoft Huihui', localService: true }]);
    expect(browserSpeech()!.available()).toBe(true);
    vi.unstubAllGlobals();
    expect(browserSpeech()).toBeNull();
  });

  it('says the text with the local Chinese voice and resolves only when it has ended', async () => {
    const queued = stubSpeech([{ lang: 'zh-CN', name: 'Microsoft Huihui', localService: true }]);
    let done = false;
    const saying = browserSpeech()!.say('请A零零一号到三号窗口办理').then(() => (done = true));
    expect(queued).toMatchObject([{ text: '请A零零一号到三号窗口办理', lang: 'zh-CN', voice: 'Microsoft Huihui', rate: 0.9 }]);
    await Promise.resolve();
    expect(done).toBe(false);
    queued[0]!.end();
    await saying;
    expect(done).toBe(true);
  });

  it('rejects with the reason when the speech fails', async () => {
    const queued = stubSpeech([{ lang: 'zh-CN', name: 'Microsoft Huihui', localService: true }]);
    const saying = browserSpeech()!.say('请');
    queued[0]!.fail('synthesis-failed');
    await expect(saying).rejects.toThrow('speech failed: synthesis-failed');
  });
});
