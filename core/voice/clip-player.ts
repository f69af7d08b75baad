/**
 * The clip voice's player: an announcement's clips (core/voice/announcement.ts) fetched, decoded
 * and scheduled back to back on one audio clock, so no gap or overlap creeps in between words.
 * Written against the few parts of Web Audio it uses, so it runs the same in a display's browser,
 * in the kiosk's renderer and in a test with a fake context. Decoded clips are kept: a hall says
 * the same forty-odd clips all day.
 */
import type { ClipId } from './clips.ts';
import type { VoiceStep } from './announcement.ts';

/** The part of an AudioBuffer the player needs. */
export interface DecodedClip {
  readonly duration: number;
}

/** The part of an AudioBufferSourceNode the player needs. */
export interface ClipSource<B extends DecodedClip> {
  buffer: B | null;
  onended: (() => void) | null;
  connect(destination: unknown): unknown;
  start(when: number): void;
  stop(): void;
}

/** The part of an AudioContext the player needs. */
export interface AudioOut<B extends DecodedClip> {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: unknown;
  resume(): Promise<void>;
  decodeAudioData(data: ArrayBuffer): Promise<B>;
  createBufferSource(): ClipSource<B>;
}

export interface ClipPlayerOptions<B extends DecodedClip> {
  audio: AudioOut<B>;
  /** a clip's file, e.g. fetched from the hall server's /voice/clips/<clip>; rejects when it cannot be had */
  load(clip: ClipId): Promise<ArrayBuffer>;
  /**
   * Calls `then` after `ms` unless cancelled: the watchdog for an `ended` that never comes (an
   * audio device gone). A browser passes setTimeout.
   */
  after(ms: number, then: () => void): () => void;
}

export class ClipLoadError extends Error {
  override name = 'ClipLoadError';
}

/** The audio stopped moving: the next announcement goes on, this one is reported as failed. */
export class ClipPlaybackError extends Error {
  override name = 'ClipPlaybackError';
}

/** Starting a little ahead of the audio clock leaves time to schedule every clip before the first plays. */
const leadSeconds = 0.05;
/** How long past its planned end an announcement may run before it is taken as stuck. */
const graceMs = 3000;

export class ClipPlayer<B extends DecodedClip> {
  private readonly decoded = new Map<ClipId, Promise<B>>();

  constructor(private readonly options: ClipPlayerOptions<B>) {}

  private clip(id: ClipId): Promise<B> {
    let buffer = this.decoded.get(id);
    if (!buffer) {
      buffer = this.options.load(id).then(
        (data) => this.options.audio.decodeAudioData(data),
        (error: unknown) => {
          throw new ClipLoadError(`voice clip "${id}" could not be loaded: ${(error as Error).message}`);
        },
      );
      // A failure is not kept: the clip is asked for again next time (the server may have it by then).
      buffer.catch(() => this.decoded.delete(id));
      this.decoded.set(id, buffer);
    }
    return buffer;
  }

  /** Loads the clips ahead, so the first announcement starts on time. */
  async preload(ids: readonly ClipId[]): Promise<void> {
    await Promise.all(ids.map((id) => this.clip(id)));
  }

  /**
   * Plays the steps and resolves when the last clip has ended; rejects, playing nothing, when a
   * clip cannot be loaded (a half announcement would send the citizen to the wrong window), and
   * rejects after stopping it when its end never comes.
   */
  async play(steps: readonly VoiceStep[]): Promise<void> {
    const buffers = await Promise.all(steps.map((step) => (step.kind === 'clip' ? this.clip(step.clip) : null)));
    const { audio } = this.options;
    // A page's context starts suspended until the browser allows sound (autoplay policy).
    if (audio.state !== 'running') await audio.resume();
    let at = audio.currentTime + leadSeconds;
    const sources: ClipSource<B>[] = [];
    steps.forEach((step, i) => {
      const buffer = buffers[i];
      if (step.kind === 'pause' || !buffer) {
        if (step.kind === 'pause') at += step.ms / 1000;
        return;
      }
      const source = audio.createBufferSource();
      source.buffer = buffer;
      source.connect(audio.destination);
      source.start(at);
      at += buffer.duration;
      sources.push(source);
    });
    const last = sources.at(-1);
    if (!last) return;
    const plannedMs = (at - audio.currentTime) * 1000;
    await new Promise<void>((resolve, reject) => {
      const cancel = this.options.after(plannedMs + graceMs, () => {
        for (const source of sources) source.stop();
        reject(new ClipPlaybackError(`the audio did not end ${graceMs / 1000} s after it should have (is the sound device gone?)`));
      });
      last.onended = () => {
        cancel();
        resolve();
      };
    });
  }
}
