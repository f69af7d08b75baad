import { describe, expect, it } from 'vitest';
import type { Announcement } from '../../../core/voice/announcement.ts';
import { Announcer, type SpeechEngine } from '../../../core/voice/announcer.ts';
import { ClipPlayer, type AudioOut, type ClipSource } from '../../../core/voice/clip-player.ts';
import type { ClipId } from '../../../core/voice/clips.ts';

/** A clip's decoded audio: each lasts 0.25 s, the chime 1 s. */
interface FakeBuffer {
  clip: string;
  duration: number;
}

/** An AudioContext whose clock the test moves; sources end when the clock passes their end. */
class FakeAudio implements AudioOut<FakeBuffer> {
  currentTime = 10;
  state = 'suspended';
  destination = { name: 'speakers' };
  resumed = 0;
  scheduled: { clip: string; at: number; end: number; source: ClipSource<FakeBuffer>; ended: boolean; stopped: boolean }[] = [];

  async resume() {
    this.resumed += 1;
    this.state = 'running';
  }
  async decodeAudioData(data: ArrayBuffer): Promise<FakeBuffer> {
    const clip = new TextDecoder().decode(data);
    if (clip === 'garbage') throw new Error('unable to decode audio data');
    return { clip, duration: clip === 'chime' ? 1 : 0.25 };
  }
  createBufferSource(): ClipSource<FakeBuffer> {
    const { destination, scheduled } = this;
    const source: ClipSource<FakeBuffer> = {
      buffer: null,
      onended: null,
      connect(to) {
        expect(to).toBe(destination);
      },
      start(when) {
        scheduled.push({ clip: source.buffer!.clip, at: when, end: when + source.buffer!.duration, source, ended: false, stopped: false });
      },
      stop() {
        const entry = scheduled.find((s) => s.source === source)!;
        entry.stopped = true;
      },
    };
    return source;
  }
  /** Moves the audio clock, ending each source whose audio is over. */
  advance(seconds: number) {
    this.currentTime += seconds;
    for (const s of this.scheduled) {
      if (!s.ended && !s.stopped && s.end <= this.currentTime + 1e-9) {
        s.ended = true;
        s.source.onended?.();
      }
    }
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function rig(options: { fail?: Set<string> } = {}) {
  const audio = new FakeAudio();
  const fetched: string[] = [];
  const timers: { ms: number; then: () => void; cancelled: boolean }[] = [];
  const player = new ClipPlayer<FakeBuffer>({
    audio,
    async load(clip: ClipId) {
      fetched.push(clip);
      if (options.fail?.has(clip)) throw new Error('404 clip "dao" is missing');
      return new TextEncoder().encode(clip).buffer as ArrayBuffer;
    },
    after(ms, then) {
      const timer = { ms, then, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  });
  return { audio, fetched, timers, player };
}

const call = (callId: string, ticketLabel: string, windowNumber: number): Announcement => ({ callId, ticketLabel, windowNumber, recall: false });

describe('the clip player', () => {
  it('schedules the clips back to back on the audio clock, pauses included, and ends with the last', async () => {
    const { audio, player } = rig();
    let done = false;
    const playing = player.play([
      { kind: 'clip', clip: 'chime' },
      { kind: 'clip', clip: 'qing' },
      { kind: 'clip', clip: 'letter-a' },
      { kind: 'pause', ms: 500 },
      { kind: 'clip', clip: 'qing' },
    ]).then(() => (done = true));
    await settle();
    expect(audio.resumed).toBe(1);
    expect(audio.scheduled.map((s) => [s.clip, Number(s.at.toFixed(3))])).toEqual([
      ['chime', 10.05],
      ['qing', 11.05],
      ['letter-a', 11.3],
      ['qing', 12.05],
    ]);
    audio.advance(2.2);
    await settle();
    expect(done).toBe(false);
    audio.advance(0.1);
    await playing;
    expect(done).toBe(true);
  });

  it('fetches and decodes each clip once', async () => {
    const { audio, fetched, player } = rig();
    const first = player.play([{ kind: 'clip', clip: 'ling' }, { kind: 'clip', clip: 'ling' }, { kind: 'clip', clip: 'yi' }]);
    await settle();
    audio.advance(1);
    await first;
    const second = player.play([{ kind: 'clip', clip: 'yi' }]);
    await settle();
    audio.advance(1);
    await second;
    expect(fetched).toEqual(['ling', 'yi']);
  });

  it('plays nothing of an announcement with a clip it cannot load, and asks for that clip again next time', async () => {
    const fail = new Set(['dao']);
    const { audio, fetched, player } = rig({ fail });
    await expect(player.play([{ kind: 'clip', clip: 'qing' }, { kind: 'clip', clip: 'dao' }])).rejects.toThrow(/voice clip "dao" could not be loaded: 404/);
    expect(audio.scheduled).toEqual([]);
    fail.clear();
    const again = player.play([{ kind: 'clip', clip: 'dao' }]);
    await settle();
    audio.advance(1);
    await again;
    expect(fetched).toEqual(['qing', 'dao', 'dao']);
  });

  it('gives up on an announcement whose end never comes, stopping its clips', async () => {
    const { audio, timers, player } = rig();
    const playing = player.play([{ kind: 'clip', clip: 'qing' }]);
    await settle();
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBeCloseTo(300 + 3000);
    timers[0]!.then();
    await expect(playing).rejects.toThrow(/the audio did not end 3 s after it should have/);
    expect(audio.scheduled[0]!.stopped).toBe(true);
  });
});

describe('the announcer', () => {
  it('says one announcement at a time, in order, the next starting only when the last clip of the one before has ended', async () => {
    const { audio, player } = rig();
    const ended: string[] = [];
    const announcer = new Announcer({ speech: null, clips: player, played: (a, o) => ended.push(`${a.callId} by ${o.engine}`) });
    const first = announcer.speak(call('c1', 'A001', 3));
    const second = announcer.speak(call('c2', 'A002', 11));
    await settle();
    const firstClips = audio.scheduled.length;
    // chime + twice (请 A 零 零 一 号 到 三 号 窗口 办理)
    expect(firstClips).toBe(1 + 2 * 11);
    audio.advance(4);
    await settle();
    expect(ended).toEqual([]);
    expect(audio.scheduled).toHaveLength(firstClips);
    audio.advance(10);
    await first;
    await settle();
    expect(ended).toEqual(['c1 by clips']);
    // The second starts after the first's end, on the clock as it is then.
    const secondStart = audio.scheduled[firstClips]!;
    expect(secondStart.clip).toBe('chime');
    expect(secondStart.at).toBeGreaterThanOrEqual(audio.scheduled[firstClips - 1]!.end);
    expect(audio.scheduled.slice(firstClips).map((s) => s.clip)).toContain('shi');
    audio.advance(20);
    await second;
    expect(ended).toEqual(['c1 by clips', 'c2 by clips']);
  });

  it('goes on with the next announcement after one that failed', async () => {
    const { audio, player } = rig({ fail: new Set(['letter-b']) });
    const announcer = new Announcer({ speech: null, clips: player });
    const bad = announcer.speak(call('c1', 'B001', 3));
    const good = announcer.speak(call('c2', 'A001', 3));
    await expect(bad).rejects.toThrow(/letter-b/);
    await settle();
    audio.advance(30);
    await good;
    expect(audio.scheduled.map((s) => s.clip)).toContain('letter-a');
  });

  it("uses the platform's Chinese voice when there is one, the chime still from the clips, the words said twice", async () => {
    const { audio, player } = rig();
    const said: string[] = [];
    let voice = true;
    const speech: SpeechEngine = { available: () => voice, say: async (text) => void said.push(text) };
    const engines: string[] = [];
    const announcer = new Announcer({ speech, clips: player, played: (_a, o) => engines.push(o.engine) });
    const spoken = announcer.speak(call('c1', 'A001', 12));
    await settle();
    expect(audio.scheduled.map((s) => s.clip)).toEqual(['chime']);
    audio.advance(2);
    await spoken;
    expect(said).toEqual(['请A零零一号到十二号窗口办理', '请A零零一号到十二号窗口办理']);
    // The voice went (uninstalled, or never there after all): the clips say the next one.
    voice = false;
    const clipped = announcer.speak(call('c2', 'A002', 12));
    await settle();
    audio.advance(30);
    await clipped;
    expect(engines).toEqual(['speech', 'clips']);
    expect(new Announcer({ speech, clips: player, prefer: 'clips' }).engine()).toBe('clips');
  });
});
